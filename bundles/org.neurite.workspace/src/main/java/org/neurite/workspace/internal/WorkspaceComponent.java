package org.neurite.workspace.internal;

import java.nio.file.Path;
import org.neurite.api.NeuriteException;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.files.WorkspaceFolders;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The process's {@link Workspace}: the folder the launcher named in the framework property
 * {@code neurite.workspace}, with the process's current directory. The only component that reads
 * that property; every other one asks this service.
 */
@Component(service = Workspace.class)
public final class WorkspaceComponent extends WorkspaceFolders {
  static final String PROPERTY = "neurite.workspace";

  @Activate
  public WorkspaceComponent(BundleContext context) {
    super(root(context), Path.of(System.getProperty("user.dir", ".")));
  }

  private static Path root(BundleContext context) {
    String root = context.getProperty(PROPERTY);
    if (root == null || root.isBlank()) {
      throw new NeuriteException("The framework property " + PROPERTY + " (the workspace folder) is not set;"
          + " start Neurite with bin/neurite or the embedding API, which set it.");
    }
    return Path.of(root);
  }
}

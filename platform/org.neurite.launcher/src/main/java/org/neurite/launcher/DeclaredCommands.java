package org.neurite.launcher;

import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The command names the started bundles declare in their Declarative Services descriptions
 * ({@code osgi.command.function} properties), read from the bundles themselves. Right after boot a
 * declared command may not be registered yet (DS activates components shortly after their bundle
 * starts), so the launcher waits for a declared name; a name nobody declares is answered at once.
 */
final class DeclaredCommands {
  private static final Logger LOG = System.getLogger(DeclaredCommands.class.getName());
  private static final String FUNCTION = "osgi.command.function";

  private DeclaredCommands() {}

  static Set<String> of(BundleContext context) {
    Set<String> names = new HashSet<>();
    for (Bundle bundle : context.getBundles()) {
      if (bundle.getState() != Bundle.ACTIVE && bundle.getState() != Bundle.STARTING) {
        continue;
      }
      String header = bundle.getHeaders().get("Service-Component");
      if (header == null) {
        continue;
      }
      for (String entry : header.split(",")) {
        String path = entry.trim();
        int slash = path.lastIndexOf('/');
        Enumeration<URL> files = bundle.findEntries(slash < 0 ? "/" : path.substring(0, slash),
            slash < 0 ? path : path.substring(slash + 1), false);
        while (files != null && files.hasMoreElements()) {
          read(files.nextElement(), names);
        }
      }
    }
    return names;
  }

  private static void read(URL file, Set<String> names) {
    try (InputStream in = file.openStream()) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(false);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      NodeList properties = factory.newDocumentBuilder().parse(in).getElementsByTagName("property");
      for (int i = 0; i < properties.getLength(); i++) {
        Element property = (Element) properties.item(i);
        if (!FUNCTION.equals(property.getAttribute("name"))) {
          continue;
        }
        String values = property.hasAttribute("value") ? property.getAttribute("value") : property.getTextContent();
        for (String name : values.split("\\R")) {
          if (!name.isBlank()) {
            names.add(name.trim());
          }
        }
      }
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "Cannot read the component description " + file, e);
    }
  }
}

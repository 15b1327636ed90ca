package org.neurite.provenance.h2.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code org.neurite.provenance}, e.g. the file
 * {@code <workspace>/conf/org.neurite.provenance.cfg}. Without it the store is an embedded
 * database file in the workspace.
 */
@ObjectClassDefinition(
    name = "Neurite provenance store",
    description = "Where runs, steps, artifacts and metrics are recorded. Leave url empty for the "
        + "workspace's own database file (db/neurite); set it to jdbc:h2:tcp://host:port/name to "
        + "share a lab's H2 server.")
public @interface ProvenanceConfig {

  @AttributeDefinition(name = "JDBC URL",
      description = "jdbc:h2:tcp://host:9092/neurite for a lab server; empty for <workspace>/db/neurite")
  String url() default "";

  @AttributeDefinition(name = "User", description = "Database user; the embedded database uses sa")
  String user() default "sa";

  /**
   * Property {@code .password}: the leading dot keeps it private to the component, out of the
   * service registry where anyone could read it.
   */
  @AttributeDefinition(name = "Password (.password)", type = AttributeType.PASSWORD)
  String _password() default "";

  @AttributeDefinition(name = "Heartbeat (seconds)",
      description = "How often a running workflow reports that it is alive. A run on another host "
          + "whose last heartbeat is older than three intervals is marked interrupted.",
      min = "1")
  int heartbeat_seconds() default 10;

  @AttributeDefinition(name = "Connections",
      description = "Most connections this process keeps open to the database", min = "1")
  int max_connections() default 8;
}

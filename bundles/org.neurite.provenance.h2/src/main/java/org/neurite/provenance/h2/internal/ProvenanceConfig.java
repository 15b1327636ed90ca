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

  @AttributeDefinition(name = "User", description = "Lab server only: the database user Neurite "
      + "records as, with role NEURITE_WRITER and no admin rights. The embedded database uses its "
      + "own generated account (db/credentials.properties) and ignores this.")
  String user() default "";

  /**
   * Property {@code .password}: the leading dot keeps it private to the component, out of the
   * service registry where anyone could read it.
   */
  @AttributeDefinition(name = "Password (.password)", type = AttributeType.PASSWORD,
      description = "Lab server only: the password of user")
  String _password() default "";

  @AttributeDefinition(name = "Admin user (admin.user)", description = "Lab server only, for a start "
      + "that creates or upgrades the schema: the database's admin account, used on a connection "
      + "closed before the store opens. Leave empty otherwise.")
  String admin_user() default "";

  /** Property {@code .admin.password}, private to the component like {@code .password}. */
  @AttributeDefinition(name = "Admin password (.admin.password)", type = AttributeType.PASSWORD)
  String _admin_password() default "";

  @AttributeDefinition(name = "Heartbeat (seconds)",
      description = "How often a running workflow reports that it is alive. A run on another host "
          + "whose last heartbeat is older than three intervals is marked interrupted.",
      min = "1")
  int heartbeat_seconds() default 10;

  @AttributeDefinition(name = "Connections",
      description = "Most connections this process keeps open to the database", min = "1")
  int max_connections() default 8;
}

package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

class ConnectionsTest {
  @TempDir Path dir;

  /** The configuration as ConfigAdmin would hand it over. */
  private record Config(String url, String user, String _password, String admin_user,
      String _admin_password) implements ProvenanceConfig {
    Config(String url, String user, String password) {
      this(url, user, password, "", "");
    }

    @Override
    public int heartbeat_seconds() {
      return 10;
    }

    @Override
    public int max_connections() {
      return 2;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return ProvenanceConfig.class;
    }
  }

  @Test
  void withoutAUrlTheWorkspaceGetsItsOwnDatabaseFile() {
    Path workspace = dir.resolve("my workspace");
    try (Database db = Connections.open(new Config("", "", ""), "", workspace.toString())) {
      assertEquals(3, Migrations.currentVersion(db), "the schema was brought up to date on opening");
      assertEquals(java.util.List.of(), Migrations.shipped().apply(db));
      assertTrue(db.url().endsWith("/my workspace/db/neurite;AUTO_SERVER=TRUE;FILE_LOCK=SOCKET"), db.url());
    }
    assertTrue(Files.isRegularFile(workspace.resolve("db/neurite.mv.db")));
  }

  @Test
  void withoutAUrlOrAWorkspaceTheMessageSaysWhatToSet() {
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> Connections.open(new Config("", "sa", ""), "", null));
    assertTrue(e.getMessage().contains("neurite.workspace"), e.getMessage());
  }

  @Test
  void aUrlThatIsNotH2IsRefusedWithTheFileToFix() {
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> Connections.open(new Config("jdbc:postgresql://db/neurite", "sa", ""), "", dir.toString()));
    assertTrue(e.getMessage().contains("conf/org.neurite.provenance.cfg"), e.getMessage());
  }

  @Test
  void aWrongPasswordForALabServerSaysWhereToLook() throws Exception {
    Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString());
    server.start();
    try {
      String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/lab";
      try (Database created = new Database(url, "admin", "right", 2, "(test)")) {
        Migrations.shipped().apply(created);
        TestStores.execute(created, "CREATE USER alice PASSWORD 'right'");
        TestStores.execute(created, "GRANT neurite_writer TO alice");
      }
      NeuriteException e = assertThrows(NeuriteException.class,
          () -> Connections.open(new Config(url, "alice", "wrong"), "wrong", null));
      assertTrue(e.getMessage().startsWith("Cannot open the provenance database " + url), e.getMessage());
      assertTrue(e.getMessage().contains(".password"), e.getMessage());
    } finally {
      server.stop();
    }
  }

  @Test
  void aLabUserWithoutDdlRightsWritesOnceTheAdminCreatedTheTables() throws Exception {
    Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString());
    server.start();
    try {
      String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/lab";
      try (Database admin = new Database(url, "admin", "adminpw", 2, "(test)")) {
        TestStores.execute(admin, "CREATE USER alice PASSWORD 'alicepw'");
        try (Database alice = new Database(url, "alice", "alicepw", 2, "(test)")) {
          NeuriteException e = assertThrows(NeuriteException.class, () -> Migrations.shipped().apply(alice));
          assertTrue(e.getMessage().contains("admin.user and .admin.password"), e.getMessage());
        }
        assertEquals(java.util.List.of(1, 2, 3), Migrations.shipped().apply(admin));
        TestStores.execute(admin, "GRANT neurite_writer TO alice");
      }
      H2ProvenanceStore store = new H2ProvenanceStore(
          new Database(url, "alice", "alicepw", 2, "(test)"), TestStores.HEARTBEAT);
      try {
        long run = store.beginRun(TestStores.runStart("w", "{}"));
        long step = store.beginStep(TestStores.stepStart(run, "a", "x.y", null));
        store.finishStep(step, org.neurite.api.provenance.StepFinish.succeeded(java.util.List.of(),
            java.time.Duration.ZERO));
        store.finishRun(run, org.neurite.api.provenance.RunStatus.SUCCEEDED, null);
        assertEquals(1, store.listRuns(5).size());
      } finally {
        store.close();
      }
    } finally {
      server.stop();
    }
  }
}

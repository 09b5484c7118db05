package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  @TempDir
  Path dataDir;

  @Test
  void aSecondLockOnTheSameFolderIsRefusedNamingTheHoldersPid() throws IOException {
    try (DataDirLock first = DataDirLock.acquire(dataDir)) {
      DataDirLock.InUseException refused = assertThrows(DataDirLock.InUseException.class,
          () -> DataDirLock.acquire(dataDir));
      String message = refused.getMessage();
      assertTrue(message.startsWith("data_dir " + dataDir.toAbsolutePath() + " is in use by another Courier broker"),
          message);
      assertTrue(message.contains("(pid " + ProcessHandle.current().pid() + ", started "), message);
      assertTrue(message.endsWith("stop it or use another data_dir"), message);
      assertEquals(dataDir.toAbsolutePath().normalize(), first.dir());
    }
  }

  @Test
  void afterReleaseANewLockSucceeds() throws IOException {
    DataDirLock.acquire(dataDir).close();
    try (DataDirLock again = DataDirLock.acquire(dataDir)) {
      assertTrue(Files.readString(dataDir.resolve(DataDirLock.FILE_NAME))
          .startsWith("pid=" + ProcessHandle.current().pid() + " "));
    }
  }

  @Test
  void aLockFileLeftBehindDoesNotBlockAStart() throws IOException {
    // What kill -9 leaves: the file with a dead owner's pid, but no OS lock.
    Files.writeString(dataDir.resolve(DataDirLock.FILE_NAME), "pid=999999 started=2020-01-01T00:00:00Z\n");
    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      assertTrue(Files.readString(dataDir.resolve(DataDirLock.FILE_NAME))
          .startsWith("pid=" + ProcessHandle.current().pid() + " "), "the new owner replaced the stale pid");
    }
  }

  @Test
  void aMissingFolderIsCreated() throws IOException {
    Path nested = dataDir.resolve("a/b");
    try (DataDirLock lock = DataDirLock.acquire(nested)) {
      assertTrue(Files.isRegularFile(nested.resolve(DataDirLock.FILE_NAME)));
    }
  }
}

package dev.courier.http;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven by its chromium-driver ({@code apt-get install chromium
 * chromium-driver}; .ci/run installs them). Missing, a test fails under CI=true and is skipped,
 * saying why, elsewhere. Named paths, so Selenium never tries to download a browser.
 */
final class Chromium {
  private static final Path BROWSER = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  static ChromeDriver start() {
    boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    String missing = "the dashboard test needs " + BROWSER + " and " + DRIVER
        + " (apt-get install chromium chromium-driver)";
    if (!present && "true".equals(System.getenv("CI"))) {
      fail(missing);
    }
    assumeTrue(present, missing);
    ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile())
        // root in a container has no sandbox to enter; /dev/shm there is often 64 MB.
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1400,1100", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(30)).build();
    return new ChromeDriver(service, options);
  }
}

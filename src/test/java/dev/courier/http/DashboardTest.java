package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless Chromium: it shows what the broker holds and follows traffic. */
@Timeout(120)
class DashboardTest {
  /** Two polls of the page and then some: the page redraws every 2 s. */
  private static final Duration WAIT = Duration.ofSeconds(15);

  private HttpBroker broker;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() {
    browser = Chromium.start();
    wait = new WebDriverWait(browser, WAIT);
    // 120 topics: three pages of fifty.
    broker = new HttpBroker(Map.of("topics", String.join(",",
        IntStream.range(0, 120).mapToObj(i -> String.format("topic-%03d", i)).toList())));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void thePageFollowsTrafficAndPagesSearchesAndSortsTopics() throws Exception {
    browser.get("http://127.0.0.1:" + broker.httpPort + "/");
    wait.until(ExpectedConditions.textToBe(By.id("total-topics"), "120"));
    wait.until(ExpectedConditions.textToBe(By.id("page-info"), "1–50 of 120"));
    assertEquals(50, rows().size());
    browser.findElement(By.id("next")).click();
    wait.until(ExpectedConditions.textToBe(By.id("page-info"), "51–100 of 120"));

    for (String payload : List.of("a", "b", "c")) {
      assertEquals(200, broker.send("POST", "/api/v1/topics/topic-042/messages", payload).statusCode());
    }
    try (Socket consumer = broker.socket()) {
      HttpBroker.sendFrame(consumer, new io.vertx.core.json.JsonObject().put("type", "register")
          .put("role", "consumer").put("topic", "topic-042").put("group", "billing").put("prefetch", 1).encode());
      wait.until(ExpectedConditions.textToBe(By.id("total-published"), "3"));
      wait.until(ExpectedConditions.textToBe(By.id("total-consumers"), "1"));

      browser.findElement(By.cssSelector("th[data-sort=published]")).click();
      browser.findElement(By.cssSelector("th[data-sort=published]")).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("#topics tbody tr:first-child td:first-child"), "topic-042"));
      WebElement search = browser.findElement(By.id("search"));
      search.sendKeys("topic-04");
      wait.until(ExpectedConditions.textToBe(By.id("page-info"), "1–10 of 10"));
      rows().get(0).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("#groups tr[data-group=billing] td[data-field=ready]"), "2"));
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#connections tbody tr"), 1));
      wait.until(ExpectedConditions.textToBe(By.cssSelector("#peek tbody tr:first-child td:nth-child(4)"), "c"));
      wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(By.id("total-delivered"), "–")));
      assertTrue(browser.findElement(By.cssSelector("#chart canvas")).isDisplayed(), "uPlot drew its chart");
      Files.createDirectories(Path.of("target"));
      Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/dashboard.png"),
          StandardCopyOption.REPLACE_EXISTING);

      // Purge through the page: the dialog asks first, and Cancel changes nothing.
      clickAsThePageRedraws(By.cssSelector("#groups tr[data-group=billing] button[data-action=purge]"));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
      assertEquals("Purge the 2 ready messages of group billing?", browser.findElement(By.id("confirm-text")).getText());
      browser.findElement(By.id("confirm-cancel")).click();
      assertEquals(2, broker.getJson("/api/v1/topics/topic-042/groups/billing").getInteger("ready"));
      clickAsThePageRedraws(By.cssSelector("#groups tr[data-group=billing] button[data-action=purge]"));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok"))).click();
      wait.until(ExpectedConditions.textToBe(By.cssSelector("#groups tr[data-group=billing] td[data-field=ready]"), "0"));
      assertEquals(0, broker.getJson("/api/v1/topics/topic-042/groups/billing").getInteger("ready"));

      // Delete through the page: refused while the consumer is there, and the page says why.
      clickAsThePageRedraws(By.cssSelector("#groups tr[data-group=billing] button[data-action=delete]"));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok"))).click();
      wait.until(ExpectedConditions.textMatches(By.id("message"), java.util.regex.Pattern.compile("group_has_consumers")));
    }
    broker.awaitJson("/api/v1/topics/topic-042/groups/billing", g -> g.getInteger("consumers") == 0);
    clickAsThePageRedraws(By.cssSelector("#groups tr[data-group=billing] button[data-action=delete]"));
    assertTrue(browser.findElement(By.id("confirm-text")).getText().startsWith("Delete group billing of topic topic-042"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok"))).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#groups tr[data-group=billing]"), 0));
    assertEquals(404, broker.get("/api/v1/topics/topic-042/groups/billing").statusCode());
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#topics tbody tr"));
  }

  /**
   * Finds and clicks in one step, again if the page redrew the element in between: the dashboard
   * rebuilds its tables every poll, so an element found a moment ago may be gone.
   */
  private void clickAsThePageRedraws(By target) {
    wait.ignoring(StaleElementReferenceException.class).until(driver -> {
      driver.findElement(target).click();
      return true;
    });
  }
}

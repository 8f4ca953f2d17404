package io.sophonsight.gateway.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.sophonsight.gateway.monitoring.JolokiaClient;
import io.sophonsight.gateway.push.PushTestSupport;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Camel console in a real browser: headless Chromium (Debian packages {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs) driven over WebDriver, against the gateway's management
 * port. An operator logs in, opens the Camel routes view and finds {@code access-event-fanout} with the exchanges
 * of the pushes just made, then the live diagram of the push receiver's route. Screenshots go to
 * {@code target/console-screenshots/} (README's picture is one of them). Without a login the browser gets the login
 * form only. Skipped, with the reason, only where Chromium is not installed.
 */
class ConsoleBrowserTest extends PushTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration UI_WAIT = Duration.ofSeconds(90);
    private static final AtomicLong PASS_TIME = new AtomicLong(1_720_000_000_000L + (System.nanoTime() % 1_000_000) * 1000);

    private WebDriver browser;

    @BeforeAll
    static void chromiumIsInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "ConsoleBrowserTest needs headless Chromium: apt-get install chromium chromium-driver "
                        + "(.ci/run installs both; not found at " + CHROMIUM + " / " + CHROMEDRIVER + ")");
    }

    @BeforeEach
    void freshBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1600,1000",
                "--user-data-dir=" + Files.createTempDirectory(DATA_DIR, "chromium-profile-"));
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().pageLoadTimeout(UI_WAIT);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aLoggedInOperatorSeesTheFanOutRouteWithItsExchangesAndALiveRouteDiagram() throws Exception {
        // Given three pushes, fanned out (access-event-fanout counted them)
        long fanoutsBefore = fanoutExchanges();
        for (int i = 0; i < 3; i++) {
            long passTime = PASS_TIME.addAndGet(1000);
            assertThat(push(ACCESS_PATH, """
                    {"userId": "E-CONSOLE-%d", "userType": "MEMBER", "crossTime": %d, "deviceId": "BOX-C", "cameraId": "CAM-C"}
                    """.formatted(i, passTime)).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fanoutExchanges() >= fanoutsBefore + 3);

        // When the operator opens the console on the management port and logs in
        logIn();

        // And opens the Camel routes view (the "routes" folder of the context in the tree)
        click(By.xpath("//button[normalize-space(.)='routes']"));
        WebElement row = waitFor(By.xpath("//table//tr[td[normalize-space(.)='access-event-fanout']]"));

        // Then access-event-fanout is listed, started, with at least the exchanges of those pushes
        List<String> headers = browser.findElements(By.xpath("//table//thead//th")).stream().map(WebElement::getText).map(String::strip).toList();
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).map(String::strip).toList();
        int offset = headers.size() - cells.size();
        assertThat(cells.get(headers.indexOf("State") - offset)).isEqualTo("Started");
        long total = Long.parseLong(cells.get(headers.indexOf("Total") - offset));
        assertThat(total).as("exchanges of access-event-fanout shown in the console").isGreaterThanOrEqualTo(fanoutsBefore + 3);
        screenshot("console-routes.png");

        // When the operator opens the push receiver's route and its diagram
        click(By.xpath("//button[normalize-space(.)='access-record-push']"));
        click(By.xpath("//a[normalize-space(.)='Route Diagram']"));

        // Then the diagram draws the route's steps, with their live counters
        new WebDriverWait(browser, UI_WAIT).until(b -> b.findElements(By.cssSelector(".react-flow__node")).size() > 3);
        screenshot("console-route-diagram.png");
    }

    @Test
    void withoutALoginTheBrowserGetsTheLoginFormOnlyAndTheConsoleAnswers401() throws IOException {
        // When a browser opens the console's routes view directly, without a login
        browser.get(managementUrl("/actuator/hawtio/camel/routes"));

        // Then it is sent to the login form, and no route is shown
        waitFor(By.id("pf-login-username-id"));
        assertThat(browser.getCurrentUrl()).endsWith("/actuator/hawtio/login");
        assertThat(browser.getPageSource()).doesNotContain("access-event-fanout");
        screenshot("console-login.png");

        // And what the page would ask for, the console's Jolokia, answers 401 without a login
        assertThat(new JolokiaClient(managementUrl("/actuator/hawtio/jolokia/")).post(
                java.util.Map.of("type", "list", "path", "org.apache.camel")).statusCode()).isEqualTo(401);
    }

    private void logIn() {
        browser.get(managementUrl("/actuator/hawtio/"));
        waitFor(By.id("pf-login-username-id")).sendKeys(CONSOLE_USER);
        browser.findElement(By.id("pf-login-password-id")).sendKeys(CONSOLE_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, UI_WAIT).until(b -> !b.getCurrentUrl().endsWith("/login"));
    }

    private WebElement waitFor(By element) {
        return new WebDriverWait(browser, UI_WAIT).until(b -> b.findElements(element).stream().filter(WebElement::isDisplayed)
                .findFirst().orElse(null));
    }

    private void click(By element) {
        waitFor(element).click();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private long fanoutExchanges() throws Exception {
        ManagedCamelContext managed = camelContext.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        return managed.getManagedRoute("access-event-fanout").getExchangesTotal();
    }
}

using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FactCheck.IntegrationTests.WebConsole;

/// <summary>
/// Debian's headless Chromium driven through its ChromeDriver (both installed by scripts/services/chromium.sh), with a
/// fresh profile. One browser serves a whole test collection; each test works in a tab of its own, and a new tab has
/// its own sessionStorage, so no test sees another's API key.
/// </summary>
public sealed class Browser : IDisposable
{
    public const int DesktopWidth = 1280, DesktopHeight = 900;
    private readonly TempDirectory profile;
    private readonly string homeTab;

    private Browser(ChromeDriver driver, TempDirectory profile)
    {
        Driver = driver;
        this.profile = profile;
        homeTab = driver.CurrentWindowHandle;
    }

    public ChromeDriver Driver { get; }

    public static Browser Start()
    {
        var chromium = Installed("FACTCHECK_TEST_CHROMIUM", "/usr/bin/chromium");
        var chromedriver = Installed("FACTCHECK_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var profile = new TempDirectory();
        var options = new ChromeOptions { BinaryLocation = chromium };
        // Root needs --no-sandbox; the rest keeps Chromium from reaching out to the network this machine does not have.
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            $"--user-data-dir={profile.Path}", $"--window-size={DesktopWidth},{DesktopHeight}", "--lang=en-GB");
        try
        {
            return new Browser(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile);
        }
        catch
        {
            profile.Dispose();
            throw;
        }
    }

    /// <summary>A new tab on <paramref name="url"/>; closed when the page is disposed.</summary>
    public ConsolePage Open(string url)
    {
        Driver.SwitchTo().Window(homeTab);
        Driver.SwitchTo().NewWindow(WindowType.Tab);
        Driver.Navigate().GoToUrl(url);
        return new ConsolePage(this, Driver.CurrentWindowHandle);
    }

    internal void Close(string tab)
    {
        Driver.SwitchTo().Window(tab);
        Driver.Close();
        Driver.SwitchTo().Window(homeTab);
        Driver.Manage().Window.Size = new System.Drawing.Size(DesktopWidth, DesktopHeight);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        profile.Dispose();
    }

    /// <summary>Fails, never skips, without the browser: a run that cannot check the console must not pass.</summary>
    private static string Installed(string variable, string fallback)
    {
        var path = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured ? configured : fallback;
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} not found: run scripts/test.sh, which installs chromium and chromium-driver");
        return path;
    }
}

using System.Diagnostics;
using OpenQA.Selenium;

namespace FactCheck.IntegrationTests.WebConsole;

/// <summary>One browser tab on the console, with the few actions the tests need; every wait is bounded.</summary>
public sealed class ConsolePage : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly Browser browser;
    private readonly string tab;

    internal ConsolePage(Browser browser, string tab)
    {
        this.browser = browser;
        this.tab = tab;
    }

    private IWebDriver Driver
    {
        get
        {
            if (browser.Driver.CurrentWindowHandle != tab) browser.Driver.SwitchTo().Window(tab);
            return browser.Driver;
        }
    }

    public string Url => Driver.Url;

    /// <summary>A route of the console: "/verify", "/claims/{id}".</summary>
    public void Go(string route) => Driver.Navigate().GoToUrl(Driver.Url.Split('#')[0] + "#" + route);

    public void SignIn(string key)
    {
        Type("#api-key", key);
        Click("form button[type=submit]");
        WaitFor("#main-nav:not([hidden])");
    }

    public void Type(string css, string text)
    {
        var input = WaitFor(css);
        input.Clear();
        input.SendKeys(text);
    }

    /// <summary>Sets a value the way a picker would (date inputs take typed text in the browser's locale order).</summary>
    public void SetValue(string css, string value) => Script("arguments[0].value = arguments[1]", WaitFor(css), value);

    public void Choose(string css, string value) =>
        Driver.FindElement(By.CssSelector($"{css} option[value='{value}']")).Click();

    public void Click(string css) => WaitFor(css, element => element.Enabled).Click();

    /// <summary>The first element matching <paramref name="css"/> that is displayed (and meets <paramref name="condition"/>).</summary>
    public IWebElement WaitFor(string css, Func<IWebElement, bool>? condition = null)
    {
        IWebElement? found = null;
        Until(() => (found = Driver.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed && (condition?.Invoke(e) ?? true))) is not null,
            $"nothing matching {css}");
        return found!;
    }

    /// <summary>Waits until an element matching <paramref name="css"/> shows <paramref name="text"/>; returns its text.</summary>
    public string WaitForText(string css, string text)
    {
        string? shown = null;
        Until(() => Driver.FindElements(By.CssSelector(css)).Any(e => (shown = e.Text).Contains(text, StringComparison.Ordinal)),
            $"'{text}' in {css} (last seen: '{shown}')");
        return shown!;
    }

    /// <summary>Form controls on the page that have neither a label nor an aria-label (ids, or tag names).</summary>
    public IReadOnlyList<string> UnlabelledControls() =>
        ((IEnumerable<object>)Script(
            "return [...document.querySelectorAll('input, select, textarea')]" +
            ".filter(control => control.labels.length === 0 && !control.getAttribute('aria-label'))" +
            ".map(control => control.id || control.tagName)")!).Select(item => item.ToString()!).ToList();

    public void PressEnterIn(string css) => WaitFor(css).SendKeys(Keys.Enter);

    public IReadOnlyList<string> Texts(string css) => Driver.FindElements(By.CssSelector(css)).Select(e => e.Text).ToList();

    public object? Script(string script, params object[] args) => ((IJavaScriptExecutor)Driver).ExecuteScript(script, args);

    /// <summary>The element that has the keyboard focus.</summary>
    public IWebElement Focused => Driver.SwitchTo().ActiveElement();

    public void Resize(int width, int height) => Driver.Manage().Window.Size = new System.Drawing.Size(width, height);

    /// <summary>Saves a screenshot to $FACTCHECK_CONSOLE_SCREENSHOTS/<paramref name="name"/>.png when that variable is set
    /// (the README's pictures, docs/console/); otherwise nothing is written, so test runs leave the tree clean.</summary>
    public void Screenshot(string name)
    {
        if (Environment.GetEnvironmentVariable("FACTCHECK_CONSOLE_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        // The whole page from its top (up to a bound), without a focus ring or caret.
        Script("document.activeElement?.blur(); window.scrollTo(0, 0)");
        var size = Driver.Manage().Window.Size;
        var height = Convert.ToInt32(Script("return document.documentElement.scrollHeight"));
        Resize(size.Width, Math.Clamp(height + size.Height - Convert.ToInt32(Script("return window.innerHeight")), size.Height, MaxScreenshotHeight));
        try
        {
            ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
        }
        finally
        {
            Resize(size.Width, size.Height);
        }
    }

    private const int MaxScreenshotHeight = 1200;

    public void Dispose() => browser.Close(tab);

    private void Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (condition()) return;
            }
            catch (StaleElementReferenceException)
            {
                // The page re-rendered under the look-up: look again.
            }
            if (clock.Elapsed > Patience)
                throw new TimeoutException($"waited {Patience.TotalSeconds} s for {what}; the page says:\n{Driver.FindElement(By.TagName("main")).Text}");
            Thread.Sleep(50);
        }
    }
}

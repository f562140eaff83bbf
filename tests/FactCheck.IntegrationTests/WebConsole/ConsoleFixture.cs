using FactCheck.V1;

namespace FactCheck.IntegrationTests.WebConsole;

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "Console in Chromium";
}

/// <summary>
/// A real server seeded with the seed article (imported by the CLI, as a user would), a browser, and keys for each
/// kind of user: the admin of every test server, a reader, and a reviewer who is also an auditor.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string ReaderKey = "fck_console-reader";
    public const string ReviewerKey = "fck_console-reviewer";
    public const string ReviewerPrincipal = "standards-desk";
    /// <summary>Claims added to Araqchi's two seed claims, so his list spans two pages of ten.</summary>
    public const int ExtraClaims = 12;

    private readonly TempDirectory directory = new();

    public TestServer Server { get; private set; } = null!;
    public Browser Browser { get; private set; } = null!;
    public string AraqchiName { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // The browser starts while the server starts and the seed is imported.
        var browser = Task.Run(Browser.Start);
        Server = await TestServer.StartAsync(directory.File("console.db"),
            "--Auth:Keys:1:Principal=newsroom-reader", "--Auth:Keys:1:Roles=reader", $"--Auth:Keys:1:Secret={ReaderKey}",
            $"--Auth:Keys:2:Principal={ReviewerPrincipal}", "--Auth:Keys:2:Roles=reviewer,auditor", $"--Auth:Keys:2:Secret={ReviewerKey}");
        await CliProcess.ImportSeedAsync(Server.Address);
        var araqchi = await Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Araghchi" });
        AraqchiName = araqchi.Candidates[0].Speaker.Name;
        for (var day = 1; day <= ExtraClaims; day++)
            await Server.Claims.CreateClaimAsync(new CreateClaimRequest
            {
                Claim = TestData.Claim(AraqchiName, $"Statement {day} on the ministers' meeting in Doha", TestData.Date(2024, 11, day)),
            });
        Browser = await browser;
    }

    /// <summary>A new tab on the console at <paramref name="route"/>, signed in with <paramref name="key"/>.</summary>
    public ConsolePage SignedIn(string key, string route)
    {
        var page = Browser.Open(ConsoleUrl(Server.HttpAddress, route));
        page.SignIn(key);
        return page;
    }

    public static string ConsoleUrl(string httpAddress, string route) => $"{httpAddress}/console/#{route}";

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        directory.Dispose();
    }
}

namespace FactCheck.IntegrationTests.WebConsole;

/// <summary>What the console shows when its server goes away under it: words, not a blank page.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleOutageTests(ConsoleFixture console)
{
    [Fact(Timeout = 90_000)]
    public async Task WhenTheServerStopsTheLiveTailAndTheNextRequestSaySo()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync($"--Storage:Sqlite:Path={directory.File("outage.db")}");
        await Task.Run(() =>
        {
            using var page = console.Browser.Open(ConsoleFixture.ConsoleUrl(server.HttpAddress, "/audit"));
            page.SignIn(TestChannels.AdminSecret);
            page.WaitForText(".tail-status", "Live: new events after #0");

            server.Kill();

            page.WaitForText(".tail-status", "Disconnected: cannot reach the FactCheck server");
            page.Screenshot("server-stopped");
            // The console's own files are already loaded: moving to another page still works, and its request says why it fails.
            page.Go("/verify");
            page.Type("#verify-text", "any words");
            page.Type("#verify-speaker", "anyone");
            page.Click("form button[type=submit]");
            var message = page.WaitForText("#verify-result [role=alert]", "Cannot reach the FactCheck server");
            Assert.Contains("may have stopped or restarted", message);
        });
    }
}

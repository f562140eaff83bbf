using FactCheck.Core.Access;

namespace FactCheck.Server.Hosting;

/// <summary>
/// Loads the configured keys (<c>Auth:Keys</c>) and, on a first start with no key anywhere, creates an admin key
/// and prints it once: the server never runs open, and the run command stays a one-liner.
/// </summary>
public sealed class FirstStartKey(ApiKeyRegistry keys, IConfiguration configuration, ILogger<FirstStartKey> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        keys.Configure(configuration.GetSection("Auth:Keys").Get<List<ConfiguredKey>>() ?? []);
        var secret = await keys.BootstrapAsync(cancellationToken);
        if (secret is null) return;
        // Printed, not logged: log pipelines keep copies, and this secret must exist only where the operator saw it.
        Console.WriteLine($"""

            ==> No API key existed, so an admin key was created. It is shown only this once:
                {secret}
                Use it as: authorization: Bearer <key>  (the CLI reads FACTCHECK_API_KEY)

            """);
        logger.LogWarning("Created the first admin API key (printed to standard output, stored only as a hash)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

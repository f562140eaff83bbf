using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FactCheck.Storage.Postgres;

public static class PostgresStoreRegistration
{
    /// <summary>
    /// The storage ports over the PostgreSQL database of <c>ConnectionStrings:Postgres</c> (env
    /// <c>ConnectionStrings__Postgres</c>) or <c>Storage:Postgres:ConnectionString</c>, migrated as the host starts,
    /// with Npgsql's metrics and command traces added to the host's OpenTelemetry (if it has any).
    /// </summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Storage:Postgres").Get<PostgresStoreOptions>() ?? new PostgresStoreOptions();
        if (configuration.GetConnectionString("Postgres") is { Length: > 0 } connectionString) options.ConnectionString = connectionString;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException("Storage:Provider is 'postgres' but ConnectionStrings:Postgres is not set");
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("Npgsql"));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource("Npgsql"));
        return services.AddPostgresStore(options);
    }

    public static IServiceCollection AddPostgresStore(this IServiceCollection services, PostgresStoreOptions options) =>
        services.AddRelationalStore(
            provider => new PostgresDatabase(options, provider.GetRequiredService<TimeProvider>()),
            database => new PostgresClaimStore(database),
            database => new ClaimSearch(database, PostgresClaimSearch.Queries));
}

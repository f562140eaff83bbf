using FactCheck.Caching;
using FactCheck.Semantics.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FactCheck.Server.Hosting;

/// <summary>
/// OpenTelemetry metrics and traces: RPC duration (ASP.NET Core's http.server.request.duration, tagged with the
/// gRPC route), cache hits/misses/errors (the FactCheck.Cache meter: hit ratio = hits / (hits + misses)), the
/// semantic indexer's backlog and the vectors indexed (the FactCheck.Semantics meter), and
/// what the store enrols itself (the PostgreSQL store: Npgsql's commands and pool). Exported over OTLP when the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> setting is present; otherwise collected for in-process readers only.
/// </summary>
internal static class Telemetry
{
    public static void AddFactCheckTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("factcheck"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(CacheStatistics.MeterName)
                .AddMeter(SemanticStatistics.MeterName))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
    }
}

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
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> setting is present; otherwise metrics are collected for in-process
/// readers only, and traces not at all.
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
                .AddMeter(SemanticStatistics.MeterName));
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return;
        // Spans only when there is an exporter to send them: with none, they reached no one and cost about 1.5 µs of
        // CPU per call (an Activity and its tags for every request).
        otel.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation()).UseOtlpExporter();
    }
}

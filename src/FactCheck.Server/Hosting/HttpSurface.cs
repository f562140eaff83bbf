using FactCheck.Caching;
using FactCheck.Semantics.Hosting;
using FactCheck.Server.Access;
using FactCheck.Server.Grpc;
using FactCheck.Server.WebConsole;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace FactCheck.Server.Hosting;

/// <summary>
/// What tools other than gRPC clients use: HTTP/JSON transcoding of every RPC (google.api.http annotations),
/// its OpenAPI document, server reflection for grpcurl/Postman/Evans, health checks over gRPC and HTTP, and cache
/// counters, the auditors' console (<c>/console/</c>) and cross-origin access when configured. JSON, OpenAPI and the
/// console are served on the HTTP/1.1 endpoint (<c>Kestrel:Endpoints:Http</c>), since browsers and plain HTTP clients
/// such as curl cannot speak HTTP/2 without TLS to the gRPC endpoint.
/// </summary>
internal static class HttpSurface
{
    public static void AddHttpSurface(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCrossOrigin(configuration);
        services.AddGrpcReflection();
        services.Configure<Microsoft.AspNetCore.Grpc.JsonTranscoding.GrpcJsonTranscodingOptions>(options =>
            // Error details travel as google.protobuf.Any: the JSON writer must know their types.
            options.TypeRegistry = ErrorMappingInterceptor.DetailTypes);
        services.AddGrpcSwagger();
        services.AddSingleton<Microsoft.AspNetCore.Mvc.ApiExplorer.IApiDescriptionProvider, ResourcePathDescriptions>();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new() { Title = "FactCheck", Version = "v1" });
            // Nested enums share short names (Review.Verdict, VerifyAttributionResponse.Verdict): qualify them.
            swagger.CustomSchemaIds(type => type.FullName!.Replace("FactCheck.V1.", "").Replace("+Types+", ".").Replace('+', '.'));
        });
        // The store's answer is reused for about a second (RecentHealth), so a storm of probes never reaches the
        // database. The cache check reads an in-process flag, no Redis call: reusing it would only report an outage late.
        services.AddSingleton<StoreHealthCheck>();
        services.AddSingleton<RecentHealth<StoreHealthCheck>>();
        services.AddGrpcHealthChecks()
            .AddCheck<RecentHealth<StoreHealthCheck>>("store")
            .AddCheck<CacheHealthCheck>("cache")
            .AddCheck<SemanticsHealthCheck>("semantics");
    }

    public static void MapHttpSurface(this WebApplication app)
    {
        app.UseStatusForUnroutedRequests();
        app.UseConsole();
        app.UseCrossOrigin();
        app.UseRateLimits();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        app.UseSwagger();
        // 200 when healthy or degraded (still answering), 503 when the store is unreachable; the body gives each
        // check's status, description and details (the semantic indexer's backlog, the vectors indexed).
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync });
        app.MapGet("/cache/stats", (IServiceProvider services) =>
            services.GetService<CacheStatistics>()?.Snapshot() is { } snapshot ? Results.Ok(snapshot) : Results.NotFound());
        app.MapGet("/", () => "FactCheck (factcheck.v1): gRPC on this server's gRPC endpoint, JSON under /v1, OpenAPI at /swagger/v1/swagger.json, the console at /console/. See README.md.");
    }
}

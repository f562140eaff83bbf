using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FactCheck.Server.Hosting;

/// <summary>/healthz as JSON: the overall status, then each check's status, description and data. No secrets are in
/// any check's data, and the endpoint is open, like gRPC health.</summary>
internal static class HealthReportJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        }, Options));
    }
}

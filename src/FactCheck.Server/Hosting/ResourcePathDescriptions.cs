using System.Text.RegularExpressions;
using Google.Api;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace FactCheck.Server.Hosting;

/// <summary>
/// Gives OpenAPI the real paths of AIP-style rules: the Swagger generator shows <c>/v1/{name=claims/*}</c> and
/// <c>/v1/{name=speakers/*}</c> both as <c>v1/{name}</c>, which collide; they are <c>v1/claims/{name}</c> and
/// <c>v1/speakers/{name}</c>.
/// </summary>
internal sealed partial class ResourcePathDescriptions : IApiDescriptionProvider
{
    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context) { }

    // Runs after every provider's OnProvidersExecuting, so the gRPC descriptions are all there.
    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            var rule = description.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault()?.HttpRule;
            if (rule is null) continue;
            var pattern = rule.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => rule.Get,
                HttpRule.PatternOneofCase.Post => rule.Post,
                HttpRule.PatternOneofCase.Patch => rule.Patch,
                HttpRule.PatternOneofCase.Put => rule.Put,
                HttpRule.PatternOneofCase.Delete => rule.Delete,
                _ => null,
            };
            if (pattern is null) continue;
            // {claim.name=claims/*} -> claims/{claim.name}
            description.RelativePath = ResourceVariable().Replace(pattern, m => Path(m.Groups["path"].Value, m.Groups["field"].Value)).TrimStart('/');
        }
    }

    /// <summary>The variable's last wildcard takes the field's name; earlier ones (a parent's id) the singular of their
    /// collection, since a route may not name a variable twice: claims/*/relations/* -> claims/{claim}/relations/{name}.</summary>
    private static string Path(string path, string field)
    {
        var segments = path.Split('/');
        var last = Array.LastIndexOf(segments, "*");
        for (var i = 0; i < segments.Length; i++)
            if (segments[i] == "*") segments[i] = i == last || i == 0 ? $"{{{field}}}" : $"{{{segments[i - 1].TrimEnd('s')}}}";
        return string.Join('/', segments);
    }

    [GeneratedRegex(@"\{(?<field>[A-Za-z_.]+)=(?<path>[^}]+)\}")]
    private static partial Regex ResourceVariable();
}

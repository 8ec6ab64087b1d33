using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace TrackGrains.WebGateway.Http;

/// <summary>The application's JSON options (camelCase web defaults), for bodies read by hand.</summary>
public sealed class JsonSerializerOptionsProvider(IOptions<JsonOptions> options)
{
    public JsonSerializerOptions Options => options.Value.SerializerOptions;
}

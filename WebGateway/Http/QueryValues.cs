using System.Globalization;

namespace TrackGrains.WebGateway.Http;

/// <summary>Query-string values read by hand, so a bad value is a 400 naming it rather than a binding failure.</summary>
public static class QueryValues
{
    /// <summary>A true/false flag; absent is false, present without a value (<c>?full</c>) is true.</summary>
    public static (bool Value, IResult? Problem) Flag(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return (false, null);
        }
        if (values.Count > 1)
        {
            return (false, Problems.BadRequest($"'{name}' is given {values.Count} times; give it once (true or false)."));
        }
        return values.ToString().Trim().ToLowerInvariant() switch
        {
            "" or "true" or "1" => (true, null),
            "false" or "0" => (false, null),
            _ => (false, Problems.BadRequest($"'{name}' must be true or false (got {Problems.Quote(values.ToString())})."))
        };
    }

    /// <summary>An integer between <paramref name="min"/> and <paramref name="max"/>, or the default when absent.</summary>
    public static (int Value, IResult? Problem) Int(IQueryCollection query, string name, int defaultValue, int min, int max)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return (defaultValue, null);
        }
        if (values.Count > 1)
        {
            return (defaultValue, Problems.BadRequest($"'{name}' is given {values.Count} times; give it once."));
        }
        if (!int.TryParse(values.ToString().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            var range = max == int.MaxValue ? $"a whole number of at least {min}" : $"a whole number from {min} to {max}";
            return (defaultValue, Problems.BadRequest($"'{name}' must be {range} (got {Problems.Quote(values.ToString())})."));
        }
        return (value, null);
    }
}

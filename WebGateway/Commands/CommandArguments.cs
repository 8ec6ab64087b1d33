namespace TrackGrains.WebGateway.Commands;

/// <summary>
/// The arguments after a verb, split into the verb's own options (<c>--to x</c> or <c>--to=x</c>) and the
/// rest, which is configuration for <see cref="ServerConfiguration"/>.
/// </summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string> _options;

    private CommandArguments(Dictionary<string, string> options, string[] configurationArgs)
    {
        _options = options;
        ConfigurationArgs = configurationArgs;
    }

    /// <summary>The arguments that are not the verb's options, for the configuration.</summary>
    public IReadOnlyList<string> ConfigurationArgs { get; }

    /// <summary>The value of a verb option, or null when it was not given.</summary>
    public string? Option(string name) => _options.GetValueOrDefault(name);

    /// <summary>Splits <paramref name="args"/> (without the verb); a usage error is returned as a message.</summary>
    public static (CommandArguments? Arguments, string? Problem) Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> optionNames)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..].Split('=', 2)[0] : null;
            if (name is null || !optionNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                rest.Add(arg);
                continue;
            }

            string? value;
            if (arg.Contains('=', StringComparison.Ordinal))
            {
                value = arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..];
            }
            else
            {
                value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            }
            if (string.IsNullOrWhiteSpace(value))
            {
                return (null, $"--{name} needs a value.");
            }
            if (!options.TryAdd(name, value))
            {
                return (null, $"--{name} is given twice.");
            }
        }
        return (new CommandArguments(options, rest.ToArray()), null);
    }

    /// <summary>
    /// The server's own configuration and content root (appsettings, environment, the remaining arguments),
    /// built the way Program builds them, so a verb sees the same Storage:Database as the server would.
    /// </summary>
    public WebApplicationBuilder ServerConfiguration() => WebApplication.CreateBuilder(ConfigurationArgs.ToArray());
}

namespace TrackGrains.Silo.Storage;

/// <summary>
/// The versioned schema scripts of one storage provider, embedded from <c>sql/&lt;provider&gt;/*.sql</c>.
/// A version is the file name without <c>.sql</c> (e.g. <c>0002_orleans_persistence</c>); scripts
/// run in ordinal order of their versions.
/// </summary>
internal sealed class EmbeddedScripts
{
    private const string ResourceSuffix = ".sql";

    private readonly string _prefix;
    private readonly Lazy<IReadOnlyList<(string Version, string ResourceName)>> _scripts;

    public EmbeddedScripts(string provider)
    {
        _prefix = $"sql.{provider}.";
        _scripts = new Lazy<IReadOnlyList<(string, string)>>(Find);
    }

    public static readonly EmbeddedScripts Sqlite = new("sqlite");

    public static readonly EmbeddedScripts Postgres = new("postgres");

    public IReadOnlyList<string> Versions => _scripts.Value.Select(s => s.Version).ToArray();

    public IEnumerable<(string Version, string Text)> All() => _scripts.Value.Select(s => (s.Version, Read(s.ResourceName)));

    public string Text(string version) => Read(_scripts.Value.Single(s => s.Version == version).ResourceName);

    private IReadOnlyList<(string Version, string ResourceName)> Find()
    {
        var assembly = typeof(EmbeddedScripts).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(_prefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.OrdinalIgnoreCase))
            .Select(n => (Version: n[_prefix.Length..^ResourceSuffix.Length], ResourceName: n))
            .OrderBy(s => s.Version, StringComparer.Ordinal)
            .ToArray();
        if (scripts.Length == 0)
        {
            // A build without its scripts would otherwise start on an empty schema and fail later
            // with "no such table: OrleansQuery", far from the cause.
            throw new InvalidOperationException($"No embedded schema scripts ({_prefix}*{ResourceSuffix}) in {assembly.GetName().Name}.");
        }
        return scripts;
    }

    private static string Read(string resourceName)
    {
        using var stream = typeof(EmbeddedScripts).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded schema script {resourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using System.Data.Common;

namespace TrackGrains.WebGateway.Backups;

/// <summary>
/// What to tell an operator who asks for a backup of a PostgreSQL deployment: the pg_dump command for their
/// database, with the connection in libpq's form (which pg_dump reads) and never the password.
/// </summary>
public static class PgDumpAdvice
{
    // Npgsql's keywords (and their aliases) that pg_dump needs, as libpq names them; pooling and timeout
    // settings mean nothing to pg_dump, and the password must not be printed.
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Host"] = "host",
        ["Server"] = "host",
        ["Port"] = "port",
        ["Database"] = "dbname",
        ["DB"] = "dbname",
        ["Username"] = "user",
        ["User Name"] = "user",
        ["UserName"] = "user",
        ["User Id"] = "user",
        ["UserId"] = "user",
        ["User"] = "user",
        ["SSL Mode"] = "sslmode",
        ["SslMode"] = "sslmode",
    };

    /// <summary>One line: why there is no SQLite snapshot, and the pg_dump command to run instead.</summary>
    public static string For(string? npgsqlConnectionString, string file) =>
        $"Storage:Provider is postgres: PostgreSQL is backed up with pg_dump, not by TrackGrains. Run: " +
        $"pg_dump --format=custom --file={Quote(file)} \"{Libpq(npgsqlConnectionString)}\" " +
        "(the password from PGPASSWORD or ~/.pgpass); restore with pg_restore.";

    /// <summary>The Npgsql connection string as libpq keyword=value pairs, without the password.</summary>
    public static string Libpq(string? npgsqlConnectionString)
    {
        if (string.IsNullOrWhiteSpace(npgsqlConnectionString))
        {
            return "host=<host> user=<user> dbname=<database>";
        }
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = npgsqlConnectionString;
        }
        catch (ArgumentException)
        {
            return "<the Storage:ConnectionString connection, which could not be read>";
        }
        var pairs = builder.Keys.Cast<string>()
            .Where(LibpqNames.ContainsKey)
            .Select(key => $"{LibpqNames[key]}={LibpqValue(Convert.ToString(builder[key], System.Globalization.CultureInfo.InvariantCulture) ?? "")}");
        return string.Join(' ', pairs);
    }

    private static string LibpqValue(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '\\' or '"')
            ? value
            : $"'{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

    private static string Quote(string file) => file.Any(char.IsWhiteSpace) ? $"'{file}'" : file;
}

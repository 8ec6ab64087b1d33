using System.Globalization;
using NpgsqlTypes;

namespace TrackGrains.Silo.Storage.Copying;

/// <summary>
/// A column of the PostgreSQL schema and how a SQLite value becomes its value. SQLite keeps instants
/// as ISO-8601 text and flags as 0/1; which of those a value is follows from the target column's type,
/// so a new read-model column needs no change here as long as its type is one of these.
/// </summary>
public sealed class TargetColumn
{
    private TargetColumn(string name, string dataType, NpgsqlDbType type)
    {
        Name = name;
        DataType = dataType;
        Type = type;
    }

    public string Name { get; }

    /// <summary>As <c>information_schema.columns.data_type</c> names it, e.g. "timestamp with time zone".</summary>
    public string DataType { get; }

    public NpgsqlDbType Type { get; }

    /// <returns>null when the type is one copy-data does not know how to fill from SQLite.</returns>
    public static TargetColumn? For(string name, string dataType) => dataType switch
    {
        "text" or "character varying" or "character" => new(name, dataType, NpgsqlDbType.Text),
        "bigint" => new(name, dataType, NpgsqlDbType.Bigint),
        "integer" => new(name, dataType, NpgsqlDbType.Integer),
        "smallint" => new(name, dataType, NpgsqlDbType.Smallint),
        "double precision" => new(name, dataType, NpgsqlDbType.Double),
        "real" => new(name, dataType, NpgsqlDbType.Real),
        "numeric" => new(name, dataType, NpgsqlDbType.Numeric),
        "boolean" => new(name, dataType, NpgsqlDbType.Boolean),
        "bytea" => new(name, dataType, NpgsqlDbType.Bytea),
        "timestamp with time zone" => new(name, dataType, NpgsqlDbType.TimestampTz),
        _ => null,
    };

    /// <summary>The value to write for a SQLite value (long, double, string, byte[]; nulls are handled by the caller).</summary>
    /// <exception cref="FormatException">The value does not fit the column; the message names the value's kind, never its content.</exception>
    public object Convert(object value) => (Type, value) switch
    {
        (NpgsqlDbType.Text, string text) => text,
        // TEXT affinity stores numbers as text anyway; a number here came from a column declared otherwise.
        (NpgsqlDbType.Text, long or double) => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        (NpgsqlDbType.Bigint, long number) => number,
        (NpgsqlDbType.Integer, long number) => checked((int)number),
        (NpgsqlDbType.Smallint, long number) => checked((short)number),
        (NpgsqlDbType.Double, long or double) => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        (NpgsqlDbType.Real, long or double) => System.Convert.ToSingle(value, CultureInfo.InvariantCulture),
        (NpgsqlDbType.Numeric, long or double) => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        (NpgsqlDbType.Boolean, 0L) => false,
        (NpgsqlDbType.Boolean, 1L) => true,
        // Payloads byte for byte: grain state is Orleans' binary format, track payloads are Brotli.
        (NpgsqlDbType.Bytea, byte[] bytes) => bytes,
        (NpgsqlDbType.TimestampTz, string text) => ParseInstant(text),
        _ => throw new FormatException($"a {Describe(value)} does not fit a {DataType} column"),
    };

    /// <summary>
    /// SQLite instants in this schema are UTC: the read model writes ISO-8601 'O' with Z, grain storage
    /// strftime's '%Y-%m-%dT%H:%M:%fZ', and the reminder provider's DateTime (kind Utc) arrives through
    /// Microsoft.Data.Sqlite as 'yyyy-MM-dd HH:mm:ss.FFFFFFF' with no zone, which therefore means UTC too.
    /// PostgreSQL keeps microseconds; a seventh fractional digit is dropped, as the server itself would.
    /// </summary>
    private static DateTime ParseInstant(string text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new FormatException($"'{text}' is not an ISO-8601 instant");

    private static string Describe(object value) => value switch
    {
        long number => $"integer {number}",
        double => "real number",
        string => "text value",
        byte[] bytes => $"blob of {bytes.Length} bytes",
        _ => value.GetType().Name,
    };
}

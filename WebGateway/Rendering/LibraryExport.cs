using System.Globalization;
using System.Text;
using System.Text.Json;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Rendering;

/// <summary>
/// Writes a library selection as a download, row by row as the read model yields them, flushing as it
/// goes: the file is never held in memory, however large the library.
/// </summary>
public static class LibraryExport
{
    /// <summary>Exportify's columns, in its order, so files and tools made for it read ours.</summary>
    public static readonly string[] CsvColumns =
    [
        "Track URI", "Track Name", "Artist Name(s)", "Album Name", "Release Date", "Added At", "Duration (ms)", "Popularity",
        "Explicit", "Danceability", "Energy", "Key", "Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness",
        "Liveness", "Valence", "Tempo", "Time Signature",
    ];

    private const int RowsPerFlush = 500;

    /// <summary>The <c>format</c> parameter: csv (the default) or json, or the 400 that says so.</summary>
    public static (string? Format, IResult? Problem) ReadFormat(IQueryCollection query)
    {
        var format = query["format"].ToString().Trim().ToLowerInvariant();
        return format switch
        {
            "" => ("csv", null),
            "csv" or "json" => (format, null),
            _ => (null, Problems.BadRequest($"'format' must be csv or json (got {Problems.Quote(query["format"].ToString())})."))
        };
    }

    /// <summary>Streams the rows as a download named <c>{name}-{date}.{format}</c>.</summary>
    public static async Task SendAsync(HttpResponse response, string format, string name, IAsyncEnumerable<LibraryRow> rows, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{format}\"";
        response.Headers.CacheControl = "no-store";
        if (format == "csv")
        {
            await WriteCsvAsync(response.Body, rows, cancellationToken);
        }
        else
        {
            await WriteJsonAsync(response.Body, rows, now, cancellationToken);
        }
    }

    public static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<LibraryRow> rows, CancellationToken cancellationToken)
    {
        // Kestrel allows only asynchronous writes: each row is built in memory, then written with WriteAsync,
        // which flushes to the response asynchronously whenever the writer's buffer fills.
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 32 * 1024);
        var line = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\r\n" };
        line.WriteLine(string.Join(",", CsvColumns));
        await writer.WriteAsync(line.GetStringBuilder(), cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line.GetStringBuilder().Clear();
            WriteCsvRow(line, row);
            await writer.WriteAsync(line.GetStringBuilder(), cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    private static void WriteCsvRow(TextWriter writer, LibraryRow row)
    {
        CsvField.Write(writer, "spotify:track:" + row.Id);
        writer.Write(',');
        CsvField.Write(writer, row.Name);
        writer.Write(',');
        CsvField.Write(writer, row.ArtistNames);
        writer.Write(',');
        CsvField.Write(writer, row.AlbumName);
        writer.Write(',');
        CsvField.Write(writer, row.ReleaseDate);
        writer.Write(',');
        CsvField.Write(writer, row.AddedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.Write(',');
        CsvField.Write(writer, row.DurationMs);
        writer.Write(',');
        CsvField.Write(writer, row.Popularity);
        writer.Write(',');
        CsvField.Write(writer, row.Explicit is { } e ? (e ? "true" : "false") : null);
        writer.Write(',');
        CsvField.Write(writer, row.Danceability);
        writer.Write(',');
        CsvField.Write(writer, row.Energy);
        writer.Write(',');
        CsvField.Write(writer, row.Key);
        writer.Write(',');
        CsvField.Write(writer, row.Loudness);
        writer.Write(',');
        CsvField.Write(writer, row.Mode);
        writer.Write(',');
        CsvField.Write(writer, row.Speechiness);
        writer.Write(',');
        CsvField.Write(writer, row.Acousticness);
        writer.Write(',');
        CsvField.Write(writer, row.Instrumentalness);
        writer.Write(',');
        CsvField.Write(writer, row.Liveness);
        writer.Write(',');
        CsvField.Write(writer, row.Valence);
        writer.Write(',');
        CsvField.Write(writer, row.Tempo);
        writer.Write(',');
        CsvField.Write(writer, row.TimeSignature);
        writer.WriteLine();
    }

    /// <summary>
    /// <c>{ "exportedAt", "tracks": [...] }</c>; each track carries the API's own names (audioFeatures as in
    /// GET /api/tracks/{id}) plus uri, artists and album, which the CSV has too.
    /// </summary>
    public static async Task WriteJsonAsync(Stream body, IAsyncEnumerable<LibraryRow> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var w = new Utf8JsonWriter(body);
        w.WriteStartObject();
        w.WriteString("exportedAt", now);
        w.WriteStartArray("tracks");
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            WriteTrack(w, row);
            if (++count % RowsPerFlush == 0)
            {
                await w.FlushAsync(cancellationToken);
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(cancellationToken);
    }

    private static void WriteTrack(Utf8JsonWriter w, LibraryRow row)
    {
        w.WriteStartObject();
        w.WriteString("id", row.Id);
        w.WriteString("uri", "spotify:track:" + row.Id);
        TrackJson.WriteStringOrNull(w, "name", row.Name);
        w.WritePropertyName("artists");
        if (row.ArtistsJson is { } artists)
        {
            // Our own projection wrote it: [{ "id", "name" }].
            w.WriteRawValue(artists);
        }
        else
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }
        w.WriteStartObject("album");
        TrackJson.WriteStringOrNull(w, "name", row.AlbumName);
        TrackJson.WriteStringOrNull(w, "releaseDate", row.ReleaseDate);
        w.WriteEndObject();
        if (row.AddedAt is { } added)
        {
            w.WriteString("addedAt", added);
        }
        else
        {
            w.WriteNull("addedAt");
        }
        TrackJson.WriteNumber(w, "durationMs", row.DurationMs);
        TrackJson.WriteNumber(w, "popularity", row.Popularity);
        if (row.Explicit is { } e)
        {
            w.WriteBoolean("explicit", e);
        }
        else
        {
            w.WriteNull("explicit");
        }
        TrackJson.WriteAudioFeatures(w, row.HasAudioFeatures ? new AudioFeatures
        {
            Acousticness = row.Acousticness, Danceability = row.Danceability, Energy = row.Energy, Instrumentalness = row.Instrumentalness,
            Key = (int?)row.Key, Liveness = row.Liveness, Loudness = row.Loudness, Mode = (int?)row.Mode, Speechiness = row.Speechiness,
            Tempo = row.Tempo, TimeSignature = (int?)row.TimeSignature, Valence = row.Valence,
        } : null);
        w.WriteEndObject();
    }
}

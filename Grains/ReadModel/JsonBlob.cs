using System.IO.Compression;
using System.Text;

namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// Large JSON payloads are stored once, Brotli-compressed: SQLite stores a row in whole pages, and
/// a compressed payload keeps 10,000 tracks well inside the size target.
/// </summary>
public static class JsonBlob
{
    public static byte[] Compress(string json)
    {
        var input = Encoding.UTF8.GetBytes(json);
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(input.Length)];
        if (!BrotliEncoder.TryCompress(input, output, out var written, quality: 5, window: 22))
        {
            throw new InvalidOperationException("Brotli could not compress a JSON payload.");
        }
        return output.AsSpan(0, written).ToArray();
    }

    public static string Decompress(byte[] blob)
    {
        using var input = new MemoryStream(blob);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(brotli, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

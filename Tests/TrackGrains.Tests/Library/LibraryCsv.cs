using System.Text;

namespace TrackGrains.Tests.Library;

/// <summary>An RFC 4180 reader written for the tests, independent of the server's writer: quoted fields may hold commas, quotes and line breaks.</summary>
internal static class LibraryCsv
{
    public static List<Dictionary<string, string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                Assert.True(field.Length == 0, $"a quote inside an unquoted field at {i}");
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                Assert.True(c != '\n' && c != '\r', $"a bare line break outside quotes at {i}");
                field.Append(c);
            }
        }
        Assert.False(quoted, "the file ends inside a quoted field");
        Assert.True(field.Length == 0 && record.Count == 0, "the last record does not end with CRLF");

        var header = records[0];
        return records.Skip(1).Select(r =>
        {
            Assert.Equal(header.Count, r.Count);
            return header.Zip(r).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }
}

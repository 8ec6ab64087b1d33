using System.Net;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.SoundCharts;

namespace TrackGrains.Tests.SoundCharts;

public sealed class HeaderAndBodyParsingTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData(" 7 ", 7L)]
    [InlineData("12.0", 12L)]
    [InlineData("-3", null)]
    [InlineData("abc", null)]
    [InlineData("", null)]
    [InlineData("NaN", null)]
    [InlineData("99999999999999999999999", null)]
    public void Header_numbers_are_read_defensively(string text, long? expected) =>
        Assert.Equal(expected, SoundChartsHeaders.ParseNonNegativeLong(text));

    [Fact]
    public void Headers_missing_or_malformed_read_as_unknown()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("x-quota-remaining", "lots");
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset", "-1");
        var headers = SoundChartsHeaders.From(response.Headers);
        Assert.Null(headers.QuotaRemaining);
        Assert.Null(headers.RateLimitResetSeconds);
        Assert.Null(headers.RateLimitRemaining);
    }

    [Fact]
    public void Song_parsing_tolerates_missing_null_and_unknown_fields()
    {
        var song = SongParser.TryParse("""
            {"type":"song","object":{"uuid":"u-1","name":"N","isrc":null,"duration":"194","audio":{"danceability":0.7,"key":-1,"tempo":"135.13","acousticness":null},"brandNew":{"x":1}}}
            """);
        Assert.NotNull(song);
        Assert.Equal("u-1", song.Uuid);
        Assert.Null(song.Isrc);
        Assert.Equal(194, song.DurationSeconds);
        Assert.Equal(0.7, song.Audio!.Danceability);
        Assert.Equal(-1, song.Audio.Key);
        Assert.Equal(135.13, song.Audio.Tempo);
        Assert.Null(song.Audio.Acousticness);
        Assert.Null(song.Audio.Energy);
    }

    [Theory]
    [InlineData("""{"type":"song"}""")]
    [InlineData("""{"type":"song","object":{"uuid":"x",""")]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("[]")]
    public void A_200_without_a_song_document_is_a_transient_fault(string body)
    {
        var response = SoundChartsClient.Classify(HttpStatusCode.OK, SoundChartsHeaders.None, body, TimeSpan.Zero);
        Assert.Equal(CallOutcome.Transient, response.Outcome);
    }

    [Theory]
    [InlineData(404, """{"errors":[{"key":"song","code":404,"message":"Song not found"}]}""", CallOutcome.NotFound)]
    [InlineData(410, """{"errors":[{"message":"ISRC blacklisted"}]}""", CallOutcome.Gone)]
    [InlineData(401, "", CallOutcome.Unauthorized)]
    [InlineData(403, """{"message":"Not in plan"}""", CallOutcome.Forbidden)]
    [InlineData(429, """{"errors":[{"message":"You have exceeded the maximum request count per minute"}]}""", CallOutcome.RateLimited)]
    [InlineData(429, """{"errors":[{"message":"Maximum quota reached"}]}""", CallOutcome.QuotaReached)]
    [InlineData(502, "<html>Bad Gateway</html>", CallOutcome.Transient)]
    [InlineData(500, """{"errors":[]}""", CallOutcome.Transient)]
    public void Status_codes_are_classified_as_the_spec_says(int status, string body, CallOutcome expected) =>
        Assert.Equal(expected, SoundChartsClient.Classify((HttpStatusCode)status, SoundChartsHeaders.None, body, TimeSpan.Zero).Outcome);

    [Fact]
    public void Usage_body_is_read_tolerantly()
    {
        var usage = SoundChartsClient.ReadUsage("""{"quota":{"limit":1000,"remaining":12},"rateLimit":{"limit":100,"remaining":7,"reset":31},"extra":true}""");
        Assert.Equal(12, usage.QuotaRemaining);
        Assert.Equal(7, usage.RateLimitRemaining);
        Assert.Equal(31, usage.RateLimitResetSeconds);

        var odd = SoundChartsClient.ReadUsage("""{"quota":"lots","rateLimit":null}""");
        Assert.Equal(CallOutcome.Success, odd.Outcome);
        Assert.Null(odd.QuotaRemaining);
        Assert.Null(odd.RateLimitRemaining);

        Assert.Equal(CallOutcome.Transient, SoundChartsClient.ReadUsage("<html/>").Outcome);
    }
}

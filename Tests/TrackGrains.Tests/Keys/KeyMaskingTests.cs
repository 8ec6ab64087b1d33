using TrackGrains.Grains.Keys;

namespace TrackGrains.Tests.Keys;

public sealed class KeyMaskingTests
{
    [Theory]
    [InlineData("abcdefghijklmnop")]
    [InlineData("short")]
    [InlineData("ab")]
    public void Mask_never_shows_more_than_four_characters_nor_a_whole_short_key(string key)
    {
        var masked = KeyMasking.Mask(key);
        var shown = masked.TrimStart('*');
        Assert.True(shown.Length <= 4);
        Assert.True(shown.Length < key.Length);
        Assert.DoesNotContain(key, masked);
    }

    [Fact]
    public void Key_id_is_stable_and_does_not_contain_the_secret()
    {
        var id = KeyMasking.KeyIdFor("app", "secret-value-123");
        Assert.Equal(id, KeyMasking.KeyIdFor("app", "secret-value-123"));
        Assert.NotEqual(id, KeyMasking.KeyIdFor("app", "secret-value-124"));
        Assert.DoesNotContain("secret", id);
    }
}

using Presence.Domain.Model;

namespace Presence.Domain.Tests;

public class UserIdTests
{
    [Theory]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("Alice@Example.COM", "alice@example.com")]
    [InlineData("bob@example.com.", "bob@example.com")]
    [InlineData("renée@bücher.example", "renée@bücher.example")]
    [InlineData("renee@xn--bcher-kva.example", "renee@bücher.example")]
    [InlineData("markd@zarafa.com", "markd@zarafa.com")]
    public void ValidBareJidsAreNormalised(string text, string expected)
    {
        Assert.Equal(expected, UserId.Parse(text).Value);
    }

    [Fact]
    public void EqualIdsCompareEqualWhateverTheirCase()
    {
        Assert.Equal(UserId.Parse("ALICE@example.com"), UserId.Parse("alice@EXAMPLE.com"));
        Assert.True(UserId.Parse("a@b") == UserId.Parse("A@B"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("alice", "no '@'")]
    [InlineData("@example.com", "empty local part")]
    [InlineData("alice@", "empty domain")]
    [InlineData("al ice@example.com", "whitespace")]
    [InlineData("alice@exa mple.com", "whitespace")]
    [InlineData("a@b@example.com", "more than one '@'")]
    [InlineData("alice@example.com/laptop", "resource")]
    [InlineData("al<ice@example.com", "forbidden character '<'")]
    [InlineData("alice@example..com", "not a valid domain")]
    [InlineData("alice@exa_mple.com", "not a valid domain")]
    public void InvalidIdsAreRefusedWithAReason(string text, string reasonPart)
    {
        Assert.False(UserId.TryParse(text, out _, out var error));
        Assert.Contains(reasonPart, error);
        var ex = Assert.Throws<InvalidUserIdException>(() => UserId.Parse(text));
        Assert.Contains(reasonPart, ex.Message);
    }

    [Fact]
    public void OverLongLocalPartIsRefused()
    {
        var text = new string('a', 1024) + "@example.com";
        Assert.False(UserId.TryParse(text, out _, out var error));
        Assert.Contains("longer than 1023 bytes", error);
    }

    [Fact]
    public void LocalPartAtTheLimitIsAccepted()
    {
        Assert.True(UserId.TryParse(new string('a', 1023) + "@example.com", out _, out _));
    }

    [Fact]
    public void OverLongDomainLabelIsRefused()
    {
        var text = "alice@" + new string('d', 64) + ".com";
        Assert.False(UserId.TryParse(text, out _, out var error));
        Assert.Contains("not a valid domain", error);
    }

    [Fact]
    public void NullIsRefused()
    {
        Assert.False(UserId.TryParse(null, out _, out var error));
        Assert.Contains("empty", error);
    }

    [Theory]
    [InlineData("ali\u202Ece@example.com", "U+202E")]        // right-to-left override: "alice" displayed reversed
    [InlineData("alice\u200E@example.com", "U+200E")]        // left-to-right mark
    [InlineData("al\u2066ice@example.com", "U+2066")]        // left-to-right isolate
    [InlineData("al\u200Bice@example.com", "U+200B")]        // zero-width space
    [InlineData("al\u200Dice@example.com", "U+200D")]        // zero-width joiner
    [InlineData("al\u00ADice@example.com", "U+00AD")]        // soft hyphen
    [InlineData("\uFEFFalice@example.com", "U+FEFF")]        // byte order mark
    [InlineData("al\u3164ice@example.com", "U+3164")]        // Hangul filler (renders as blank)
    [InlineData("alice\uFE0F@example.com", "U+FE0F")]        // variation selector
    [InlineData("alice\uE000@example.com", "U+E000")]        // private use
    [InlineData("alice@exa\u202Emple.com", "U+202E")]        // also in the domain part
    [InlineData("alice@ex\u00ADample.com", "U+00AD")]        // IDNA would silently drop it: refused instead
    public void InvisibleAndBidiControlCharactersAreRefused(string text, string named)
    {
        Assert.False(UserId.TryParse(text, out _, out var error));
        Assert.Contains(named, error);
    }

    [Fact]
    public void ALoneSurrogateIsRefused()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate (it is stored as UTF-8).
        var text = "al" + (char)0xD800 + "ice@example.com";
        Assert.False(UserId.TryParse(text, out _, out var error));
        Assert.Contains("lone surrogate", error);
    }

    [Fact]
    public void LookAlikesFromAnotherScriptStayDistinctIds()
    {
        var latin = UserId.Parse("alice@example.com");
        var cyrillic = UserId.Parse("\u0430lice@example.com");
        Assert.NotEqual(latin, cyrillic);
    }
}

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
}

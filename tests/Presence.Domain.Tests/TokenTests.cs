using System.Diagnostics;
using Presence.Domain.Tokens;

namespace Presence.Domain.Tests;

public class TokenTests
{
    private const string Secret = "s3cret-shared-key-for-tests";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_763_726_400);
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    private static TokenValidation Check(string token, DateTimeOffset? now = null) =>
        PresenceToken.Validate(token, Secret, now ?? Now, Expiry, Skew);

    [Fact]
    public void AFreshTokenIsValidAndNamesItsUser()
    {
        var token = PresenceToken.Create(Secret, "markd@zarafa.com", Now);
        Assert.StartsWith("1763726400:markd@zarafa.com:", token);
        var v = Check(token);
        Assert.True(v.IsValid, v.Message);
        Assert.Equal("markd@zarafa.com", v.User);
        Assert.Equal(Now, v.IssuedAt);
    }

    [Fact]
    public void TheMacIsUpperCasedBase64()
    {
        var mac = PresenceToken.Create(Secret, "a@b", Now).Split(':')[2];
        Assert.Equal(mac.ToUpperInvariant(), mac);
        Assert.EndsWith("=", mac); // 32 bytes → 44 base64 characters with one '='
        Assert.Equal(44, mac.Length);
    }

    [Fact]
    public void AnExpiredTokenIsRefused()
    {
        var v = Check(PresenceToken.Create(Secret, "a@b", Now - Expiry - TimeSpan.FromSeconds(1)));
        Assert.Equal(TokenError.Expired, v.Error);
        Assert.Contains("expired", v.Message);
    }

    [Fact]
    public void ATokenAtTheEndOfItsLifetimeIsAccepted()
    {
        Assert.True(Check(PresenceToken.Create(Secret, "a@b", Now - Expiry)).IsValid);
    }

    [Fact]
    public void ATokenFromTheFutureBeyondTheSkewIsRefused()
    {
        Assert.True(Check(PresenceToken.Create(Secret, "a@b", Now + Skew)).IsValid);
        var v = Check(PresenceToken.Create(Secret, "a@b", Now + Skew + TimeSpan.FromSeconds(1)));
        Assert.Equal(TokenError.NotYetValid, v.Error);
        Assert.Contains("future", v.Message);
    }

    [Fact]
    public void AForgedMacIsRefused()
    {
        var token = PresenceToken.Create("another-secret-entirely", "a@b", Now);
        Assert.Equal(TokenError.BadSignature, Check(token).Error);
    }

    [Fact]
    public void ALowerCaseMacIsRefusedAsTheOldDaemonDid()
    {
        var token = PresenceToken.Create(Secret, "a@b", Now);
        var i = token.LastIndexOf(':');
        var lower = token[..(i + 1)] + token[(i + 1)..].ToLowerInvariant();
        Assert.Equal(TokenError.BadSignature, Check(lower).Error);
    }

    [Fact]
    public void ChangingTheUserInvalidatesTheMac()
    {
        var token = PresenceToken.Create(Secret, "alice@example.com", Now);
        var swapped = token.Replace("alice@", "bob@");
        Assert.Equal(TokenError.BadSignature, Check(swapped).Error);
    }

    [Fact]
    public void TheUserPartMayContainColons()
    {
        var v = Check(PresenceToken.Create(Secret, "odd:user@example.com", Now));
        Assert.True(v.IsValid);
        Assert.Equal("odd:user@example.com", v.User);
    }

    [Theory]
    [InlineData("", TokenError.Missing)]
    [InlineData("nocolons", TokenError.Malformed)]
    [InlineData("abc:a@b:MAC", TokenError.Malformed)]
    [InlineData("123::MAC", TokenError.Malformed)]
    [InlineData("123:a@b:", TokenError.Malformed)]
    [InlineData("-5:a@b:MAC", TokenError.Malformed)]
    public void MalformedTokensAreRefusedWithAReason(string token, TokenError error)
    {
        var v = Check(token);
        Assert.False(v.IsValid);
        Assert.Equal(error, v.Error);
        Assert.False(string.IsNullOrWhiteSpace(v.Message));
    }

    [Fact]
    public void ATokenMadeByOpenSslIsAccepted()
    {
        if (!File.Exists("/usr/bin/openssl")) Assert.Fail("openssl is required for the token compatibility vector");
        const string payload = "1763726400:markd@zarafa.com";
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"printf '%s' '{payload}' | openssl dgst -sha256 -hmac '{Secret}' -binary | base64 | tr a-z A-Z"])
        {
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        var mac = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        var v = Check(payload + ":" + mac);
        Assert.True(v.IsValid, v.Message);
        Assert.Equal(PresenceToken.Create(Secret, "markd@zarafa.com", Now), payload + ":" + mac);
    }
}

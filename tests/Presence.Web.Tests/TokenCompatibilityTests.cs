using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>Tokens made by independent implementations of the old daemon's scheme are accepted.</summary>
public sealed class TokenCompatibilityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly PresenceApp _app = fixture.App;

    [Fact]
    public async Task TokenFromOpensslIsAccepted()
    {
        var payload = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}:rosa@example.com";
        var mac = Run("/bin/sh", "-c", $"printf '%s' '{payload}' | openssl dgst -sha256 -hmac '{Secret}' -binary | base64 | tr a-z A-Z");
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope($"{payload}:{mac}", Entry("rosa@example.com", "spreed", "busy", "openssl")));
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal("openssl", _app.Get("rosa@example.com")!.Get("spreed")!.Message);
    }

    [Fact]
    public async Task TokenFromPythonHmacIsAccepted()
    {
        var script = "import base64,hashlib,hmac,sys,time\n" +
                     "p='%d:%s' % (int(time.time()), sys.argv[2])\n" +
                     "print(p + ':' + base64.b64encode(hmac.new(sys.argv[1].encode(), p.encode(), hashlib.sha256).digest()).decode().upper())";
        var token = Run("/usr/bin/python3", "-c", script, Secret, "sven@example.com");
        var r = await _app.Bearer(token).PutAsync("/api/v1/presence/sven@example.com/spreed",
            new StringContent("{\"status\": \"away\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)r.StatusCode);
    }

    private static string Run(string file, params string[] args)
    {
        var (code, output, error) = ProcessRunner.Run(file, args);
        Assert.True(code == 0, $"{file} failed: {error}");
        return output;
    }
}

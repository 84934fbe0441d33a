using System.Net.Http.Headers;
using System.Text;
using Presence.Domain.Model;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>
/// Hostile bytes in every field of the compat envelope and the REST body (issue 9 §2): each is a 4xx problem detail
/// naming what was wrong, and nothing changes.
/// </summary>
public sealed class HostileInputTests : IClassFixture<AppFixture>
{
    private const string User = "ivo@example.com";
    private readonly PresenceApp _app;

    public HostileInputTests(AppFixture fixture)
    {
        _app = fixture.App;
        var put = _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(User, "spreed", "available", "baseline"))).GetAwaiter().GetResult();
        Assert.Equal(200, (int)put.StatusCode);
    }

    private void AssertUnchanged()
    {
        var presence = _app.Get(User)!;
        Assert.Equal(PresenceState.Available, presence.Get("spreed")!.State);
        Assert.Equal("baseline", presence.Get("spreed")!.Message);
        Assert.Single(presence.Protocols);
    }

    private Task<HttpResponseMessage> CompatBytesAsync(HttpMethod method, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return _app.CreateClient().SendAsync(new HttpRequestMessage(method, "/presence") { Content = content });
    }

    /// <summary>A valid PUT envelope of <see cref="User"/> whose <paramref name="field"/> text is replaced by <paramref name="raw"/> bytes (inside the quotes).</summary>
    private static byte[] EnvelopeWith(string field, byte[] raw)
    {
        var template = $"{{\"AuthenticationToken\": \"{(field == "token" ? "@@" : Token(User))}\", \"Type\": \"{(field == "type" ? "@@" : "UserStatus")}\", " +
                       $"\"UserStatus\": [{{\"user_id\": \"{(field == "user" ? "@@" : User)}\", \"{(field == "protocol" ? "@@" : "spreed")}\": " +
                       $"{{\"status\": \"{(field == "status" ? "@@" : "busy")}\", \"message\": \"{(field == "message" ? "@@" : "changed")}\"}}}}]}}";
        var at = template.IndexOf("@@", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. raw, .. Encoding.UTF8.GetBytes(template[(at + 2)..])];
    }

    public static TheoryData<string, string> Fields => new()
    {
        { "type", "\"Type\"" },
        { "token", "\"AuthenticationToken\"" },
        { "user", "UserStatus[0].user_id" },
        { "protocol", "property name" },
        { "status", "UserStatus[0].spreed.status" },
        { "message", "UserStatus[0].spreed.message" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task InvalidUtf8InAnyCompatFieldIsRefusedWithA4xxNamingTheField(string field, string named)
    {
        var r = await CompatBytesAsync(HttpMethod.Put, EnvelopeWith(field, [0x61, 0xFF, 0xFE, 0x62]));
        await AssertProblemAsync(r, field == "token" ? 401 : 400, named, "not valid text");
        AssertUnchanged();
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task AnEscapedLoneSurrogateInAnyCompatFieldIsRefusedWithA4xxNamingTheField(string field, string named)
    {
        var r = await CompatBytesAsync(HttpMethod.Post, EnvelopeWith(field, Encoding.ASCII.GetBytes("a\\ud800b")));
        await AssertProblemAsync(r, field == "token" ? 401 : 400, named, "lone surrogate");
        AssertUnchanged();
    }

    [Fact]
    public async Task DuplicateKeysAreRefused()
    {
        var body = $"{{\"AuthenticationToken\": \"{Token(User)}\", \"Type\": \"UserStatus\", \"UserStatus\": [{{\"user_id\": \"{User}\", \"user_id\": \"eve@example.com\", \"spreed\": {{\"status\": \"busy\"}}}}]}}";
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, body), 400, "malformed JSON", "Duplicate");
        AssertUnchanged();
    }

    [Fact]
    public async Task DeepNestingIsRefused()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var body = $"{{\"AuthenticationToken\": \"{Token(User)}\", \"Type\": \"UserStatus\", \"UserStatus\": [{{\"user_id\": \"{User}\", \"spreed\": {{\"status\": \"busy\", \"x\": {deep}}}}}]}}";
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, body), 400, "malformed JSON", "depth");
        AssertUnchanged();
    }

    [Theory]
    [InlineData("\"status\": 1e999999", "status is missing or not a string")]
    [InlineData("\"status\": 123456789012345678901234567890", "status is missing or not a string")]
    [InlineData("\"status\": [\"busy\"]", "status is missing or not a string")]
    [InlineData("\"status\": \"busy\", \"message\": 1e400", "message must be a string, not a number")]
    [InlineData("\"status\": \"busy\", \"message\": {\"a\": 1}", "message must be a string, not an object")]
    public async Task WrongTypesAndHugeNumbersAreRefused(string fields, string named)
    {
        var body = $"{{\"AuthenticationToken\": \"{Token(User)}\", \"Type\": \"UserStatus\", \"UserStatus\": [{{\"user_id\": \"{User}\", \"spreed\": {{{fields}}}}}]}}";
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, body), 400, named);
        AssertUnchanged();
    }

    [Fact]
    public async Task ATokenThatIsNotAStringIsRefusedWith401()
    {
        var body = $"{{\"AuthenticationToken\": 12345, \"Type\": \"UserStatus\", \"UserStatus\": [{{\"user_id\": \"{User}\", \"spreed\": {{\"status\": \"busy\"}}}}]}}";
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, body), 401, "must be a string, not a number");
        AssertUnchanged();
    }

    [Fact]
    public async Task AVeryLongUserIdIsRefusedAndNotEchoedWhole()
    {
        var longId = new string('a', 40_000) + "@example.com";
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(longId, "spreed", "busy")));
        await AssertProblemAsync(r, 400, "longer than 1023 bytes");
        Assert.True((await r.Content.ReadAsStringAsync()).Length < 1000);
        AssertUnchanged();
    }

    [Fact]
    public async Task AVeryLongProtocolNameIsRefusedNamingTheKnownProtocols()
    {
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(User, new string('p', 20_000), "busy")));
        await AssertProblemAsync(r, 400, "not a known protocol", "spreed, xmpp");
        AssertUnchanged();
    }

    [Fact]
    public async Task RestRefusesInvalidUtf8LoneSurrogatesDuplicateKeysAndWrongTypes()
    {
        var client = _app.Bearer(Token(User));
        byte[][] bodies =
        [
            [.. "{\"status\": \"b"u8, 0xFF, .. "usy\"}"u8],
            "{\"status\": \"busy\", \"message\": \"a\\ud800b\"}"u8.ToArray(),
            "{\"status\": \"busy\", \"status\": \"away\"}"u8.ToArray(),
            "{\"status\": 5}"u8.ToArray(),
            "{\"status\": \"busy\", \"message\": 1e999999}"u8.ToArray(),
            Encoding.ASCII.GetBytes("{\"status\": \"busy\", \"x\": " + new string('[', 1000) + new string(']', 1000) + "}"),
        ];
        foreach (var body in bodies)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var r = await client.PutAsync($"/api/v1/presence/{User}/spreed", content);
            var text = await r.Content.ReadAsStringAsync();
            Assert.True((int)r.StatusCode == 400, $"{Encoding.UTF8.GetString(body)} → {(int)r.StatusCode} {text}");
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        }
        AssertUnchanged();
    }

    [Fact]
    public async Task RestRefusesAnUnknownProtocolNamingTheKnownOnes()
    {
        var r = await _app.Bearer(Token(User)).PutAsync($"/api/v1/presence/{User}/teams",
            new StringContent("{\"status\": \"busy\"}", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(r, 400, "'teams' is not a known protocol", "spreed, xmpp");
        AssertUnchanged();
    }

    [Fact]
    public async Task AUserCannotGrowTheirRecordWithThousandsOfProtocolNames()
    {
        var token = Token(User);
        for (var i = 0; i < 200; i++)
        {
            var r = await _app.CompatAsync(HttpMethod.Put, Envelope(token, Entry(User, $"p{i}", "busy")));
            Assert.Equal(400, (int)r.StatusCode);
        }
        AssertUnchanged();
    }
}

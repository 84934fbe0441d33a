using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Presence.Domain.Tokens;

namespace Presence.E2E.Tests;

/// <summary>Calls of the service's HTTP API as spreed and API clients make them.</summary>
public static class PresenceApi
{
    /// <summary>The zarafa-compatible spreed PUT to <c>/presence</c>, signed with the legacy shared secret.</summary>
    public static async Task<HttpResponseMessage> SpreedPutAsync(HttpClient http, string user, string status, string message, string secret = PresenceAppFixture.SharedSecret)
    {
        var body = new
        {
            AuthenticationToken = PresenceToken.Create(secret, user, DateTimeOffset.UtcNow),
            Type = "UserStatus",
            UserStatus = new[] { new Dictionary<string, object> { ["user_id"] = user, ["spreed"] = new { status, message } } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Put, "presence")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        return await http.SendAsync(request);
    }

    /// <summary><c>PUT /api/v1/presence/{user}/{protocol}</c> with a bearer token.</summary>
    public static Task<HttpResponseMessage> RestPutAsync(HttpClient http, string token, string user, string protocol, string status, string message)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/v1/presence/{Uri.EscapeDataString(user)}/{protocol}")
        {
            Content = JsonContent.Create(new { status, message }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }
}

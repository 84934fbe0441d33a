using System.Text.Json;

namespace Presence.Web.Api;

/// <summary>OpenAPI description of the compat envelope (documentation only; the endpoint parses the body itself).</summary>
/// <param name="AuthenticationToken">Token <c>{t}:{user}:{MAC}</c> (requests only).</param>
/// <param name="Type">Always <c>UserStatus</c>.</param>
/// <param name="UserStatus">Entries <c>{"user_id": "a@b", "spreed": {"status", "message", "annotation"?}, "xmpp": {...}}</c>.</param>
internal sealed record CompatEnvelopeDoc(string? AuthenticationToken, string Type, List<Dictionary<string, JsonElement>> UserStatus);

namespace Presence.Web.Api;

/// <summary>Health summary for anonymous callers (no error text, no counters).</summary>
/// <param name="Status"><c>ok</c> when every check is healthy, else <c>degraded</c>.</param>
/// <param name="Database"><c>ok</c> or <c>failing</c>.</param>
/// <param name="Xmpp">XMPP link state name (e.g. <c>Online</c>, <c>Backoff</c>, <c>Standby</c>), or <c>null</c> when the component is not registered.</param>
internal sealed record PublicHealthDto(string Status, string Database, string? Xmpp);

namespace Presence.Web.Api;

/// <summary>One health check's outcome.</summary>
/// <param name="Name"><c>database</c>, <c>xmpp</c> or <c>feeds</c>.</param>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="Description">What the check saw, or <c>null</c>.</param>
internal sealed record HealthCheckDto(string Name, string Status, string? Description);

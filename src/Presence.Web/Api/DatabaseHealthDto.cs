namespace Presence.Web.Api;

/// <summary>Database check.</summary>
/// <param name="Ok">Reachable.</param>
/// <param name="Provider">EF Core provider name.</param>
/// <param name="Error">Error text when not reachable.</param>
internal sealed record DatabaseHealthDto(bool Ok, string Provider, string? Error);

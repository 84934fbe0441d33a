namespace Presence.Web.Api;

/// <summary>Tracker size.</summary>
/// <param name="Users">Known users.</param>
/// <param name="Sequence">Last change sequence.</param>
internal sealed record TrackerHealthDto(int Users, long Sequence);

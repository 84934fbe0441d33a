namespace Presence.Web.Api;

/// <summary>Body of <c>PUT /api/v1/presence/{user}/{protocol}</c>.</summary>
/// <param name="Status">Required: <c>available</c>, <c>busy</c>, <c>away</c> or <c>unavailable</c>.</param>
/// <param name="Message">Optional status message (empty when absent).</param>
internal sealed record SetStatusRequest(string? Status, string? Message);

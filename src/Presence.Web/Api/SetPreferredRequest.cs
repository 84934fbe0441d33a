using System.Text.Json.Serialization;
using Presence.Domain.Model;
using Presence.Web.Data.Entities;
namespace Presence.Web.Api;

/// <summary>Body of <c>PUT /api/v1/presence/{user}/preferred</c>.</summary>
/// <param name="Status">Required: <c>available</c>, <c>busy</c>, <c>away</c> or <c>unavailable</c> (appear offline).</param>
/// <param name="Message">Optional message, at most <c>Presence:Api:MaxMessageLength</c> characters.</param>
/// <param name="Until">Optional end, ISO 8601 with offset (e.g. <c>2026-12-08T14:00:00Z</c>), in the future and within
/// <c>Presence:Preferred:MaxDuration</c>; default 1 day for busy, 7 days otherwise (capped by the maximum).</param>
public sealed record SetPreferredRequest(string? Status, string? Message, string? Until);

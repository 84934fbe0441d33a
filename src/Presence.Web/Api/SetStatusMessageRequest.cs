using System.Text.Json.Serialization;
using Presence.Domain.Model;
using Presence.Web.Data.Entities;
namespace Presence.Web.Api;

/// <summary>Body of <c>PUT /api/v1/presence/{user}/status-message</c>.</summary>
/// <param name="Message">Required, 1 to <c>Presence:Api:MaxMessageLength</c> characters.</param>
/// <param name="Until">Optional end, ISO 8601 with offset, in the future; without it the message lasts until DELETE.</param>
public sealed record SetStatusMessageRequest(string? Message, string? Until);

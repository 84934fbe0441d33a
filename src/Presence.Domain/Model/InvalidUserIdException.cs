namespace Presence.Domain.Model;

/// <summary>Thrown when a text is not a valid bare JID; <see cref="Exception.Message"/> says why.</summary>
public sealed class InvalidUserIdException(string? text, string reason)
    : FormatException($"Invalid user id '{text}': {reason}.")
{
    /// <summary>The refused text.</summary>
    public string? Text { get; } = text;

    /// <summary>Why it was refused.</summary>
    public string Reason { get; } = reason;
}

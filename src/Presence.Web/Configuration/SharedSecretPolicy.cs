namespace Presence.Web.Configuration;

/// <summary>
/// Rules for the legacy shared secret <c>Presence:Tokens:SharedSecret</c> (issue 9 §1): empty (the shipped value)
/// turns the legacy-secret path off, so only API clients' tokens are accepted; otherwise at least
/// <see cref="MinLength"/> characters, and outside the Development environment never the placeholder that older
/// documentation printed (<see cref="Placeholder"/>): anyone who read it could mint a token for any user.
/// </summary>
internal static class SharedSecretPolicy
{
    /// <summary>The placeholder that earlier versions shipped and documented; refused outside Development.</summary>
    public const string Placeholder = "change-me-presence-shared-secret";

    /// <summary>Shortest accepted secret, in characters.</summary>
    public const int MinLength = 16;

    /// <summary>How an operator sets a secret, for messages.</summary>
    public const string HowToSet = "set Presence__Tokens__SharedSecret to a random value of at least 16 characters, e.g. $(openssl rand -base64 32)";

    /// <summary><c>true</c> when the legacy-secret path is on (a secret is configured).</summary>
    public static bool IsEnabled(TokenOptions o) => !string.IsNullOrEmpty(o.SharedSecret);

    /// <summary>The reason <paramref name="secret"/> is refused in <paramref name="environment"/>, or <c>null</c> when it is acceptable.</summary>
    public static string? Refusal(string? secret, IHostEnvironment environment)
    {
        if (string.IsNullOrEmpty(secret)) return null;
        if (secret == Placeholder && !environment.IsDevelopment())
            return $"Presence:Tokens:SharedSecret is the documented placeholder '{Placeholder}', which anyone can use to mint tokens; {HowToSet}, or leave it empty to accept API clients' tokens only.";
        if (secret.Length < MinLength)
            return $"Presence:Tokens:SharedSecret must be at least {MinLength} characters; {HowToSet}.";
        return null;
    }
}

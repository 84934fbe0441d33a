namespace Presence.Web.Authentication;

/// <summary>Wire names of <see cref="ApiScopes"/>: <c>read</c>, <c>write-own</c>, <c>write-any</c>, space-separated.</summary>
internal static class ApiScopeNames
{
    /// <summary>The accepted names, for messages.</summary>
    public const string Names = "read, write-own, write-any";

    /// <summary>Space-separated names, e.g. <c>read write-own</c>.</summary>
    public static string ToWire(this ApiScopes scopes)
    {
        var parts = new List<string>(3);
        if (scopes.HasFlag(ApiScopes.Read)) parts.Add("read");
        if (scopes.HasFlag(ApiScopes.WriteOwn)) parts.Add("write-own");
        if (scopes.HasFlag(ApiScopes.WriteAny)) parts.Add("write-any");
        return string.Join(' ', parts);
    }

    /// <summary>Parses space- or comma-separated names.</summary>
    /// <returns><c>false</c> with the unknown name in <paramref name="error"/> when a name is not a scope.</returns>
    public static bool TryParse(string? text, out ApiScopes scopes, out string? error)
    {
        scopes = ApiScopes.None;
        error = null;
        foreach (var part in (text ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part)
            {
                case "read": scopes |= ApiScopes.Read; break;
                case "write-own": scopes |= ApiScopes.WriteOwn; break;
                case "write-any": scopes |= ApiScopes.WriteAny; break;
                default: error = $"unknown scope '{part}'; expected {Names}"; return false;
            }
        }
        return true;
    }
}

using System.Reflection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace TypedSessions.Diagnostics;

/// <summary>
/// Every cookie TypedSessions trusts is authenticated by ASP.NET Core Data Protection, whose versions
/// 10.0.0 to 10.0.6 let forged payloads through (CVE-2026-40372). The version of the running shared
/// framework is checked once at startup, and an affected one is logged as an error.
/// </summary>
internal static class DataProtectionRuntimeCheck
{
    /// <summary>The first patched version.</summary>
    public static readonly Version FirstFixed = new(10, 0, 7);

    /// <summary>Logs an error when the running Data Protection is an affected version.</summary>
    public static void Run(ILogger logger)
    {
        var version = typeof(IDataProtector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (version is not null && IsAffected(version))
        {
            Log.VulnerableDataProtection(logger, version, FirstFixed.ToString());
        }
    }

    /// <summary>Whether an informational version such as <c>10.0.5+abc123</c> is one of the affected ones.</summary>
    public static bool IsAffected(string informationalVersion)
    {
        var plain = informationalVersion.Split('+', '-')[0];
        return Version.TryParse(plain, out var version)
            && version.Major == 10 && version.Minor == 0 && version.Build >= 0 && version < FirstFixed;
    }
}

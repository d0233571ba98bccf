using Microsoft.Data.Sqlite;
using TypedSessions.Stores;

namespace TypedSessions.Sqlite;

/// <summary>The tables of <see cref="SqliteSessionStore"/> and every statement run against them.</summary>
/// <remarks>
/// <c>typedsessions_sessions</c>: one row per session (its store ID, the SHA-256 of the session ID; its
/// creation and last use; when it expires, indexed for the cleanup; and the user it is signed in as with
/// the device label, the user indexed for the list of a user's sessions).
/// <c>typedsessions_slots</c>: one row per (session, state key) with the bytes and the version.
/// <c>typedsessions_versions</c>: one row, the last version handed out. Times are Unix milliseconds.
/// </remarks>
internal static class SqliteSchema
{
    public readonly record struct SessionRow(long CreatedAt, long LastAccess, long ExpiresAt, string? UserKey, string? Device);

    public static void Create(SqliteConnection connection)
    {
        // WAL: readers do not block the writer nor the writer the readers; it is a property of the file,
        // so setting it once is enough. NORMAL sync is the recommended pairing with WAL.
        Execute(connection, null, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS typedsessions_sessions (
                id BLOB NOT NULL PRIMARY KEY,
                created_at INTEGER NOT NULL,
                last_access INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS typedsessions_sessions_expires_at ON typedsessions_sessions (expires_at);
            -- The user columns came after the first release: added to a database that lacks them, below.
            -- A rowid table: slots can be large, and WITHOUT ROWID suits small rows only.
            CREATE TABLE IF NOT EXISTS typedsessions_slots (
                session BLOB NOT NULL,
                key TEXT NOT NULL,
                data BLOB NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (session, key)
            );
            CREATE TABLE IF NOT EXISTS typedsessions_versions (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                last INTEGER NOT NULL
            );
            INSERT OR IGNORE INTO typedsessions_versions (id, last) VALUES (1, 0);
            -- IDs renewed away a moment ago (a sign-in), until when they are remembered.
            CREATE TABLE IF NOT EXISTS typedsessions_renewed (
                id BLOB NOT NULL PRIMARY KEY,
                until INTEGER NOT NULL
            ) WITHOUT ROWID;
            """);
        using (var columns = Command(connection, null, "SELECT count(*) FROM pragma_table_info('typedsessions_sessions') WHERE name = 'user_key'"))
        {
            if (Convert.ToInt64(columns.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                Execute(connection, null, """
                    ALTER TABLE typedsessions_sessions ADD COLUMN user_key TEXT;
                    ALTER TABLE typedsessions_sessions ADD COLUMN device TEXT;
                    """);
            }
        }

        Execute(connection, null, "CREATE INDEX IF NOT EXISTS typedsessions_sessions_user_key ON typedsessions_sessions (user_key) WHERE user_key IS NOT NULL;");
    }

    public static SessionRow? ReadSession(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session)
    {
        using var command = Command(connection, transaction, "SELECT created_at, last_access, expires_at, user_key, device FROM typedsessions_sessions WHERE id = $id");
        command.Parameters.AddWithValue("$id", Key(session));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new SessionRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4))
            : null;
    }

    public static StoredSlot?[] ReadSlots(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session, IReadOnlyList<string> keys)
    {
        var slots = new StoredSlot?[keys.Count];
        if (keys.Count == 0)
        {
            return slots;
        }

        // One statement for all the keys asked: $k0, $k1, ... (the runtime asks for a handful at most).
        var names = string.Join(", ", Enumerable.Range(0, keys.Count).Select(static i => "$k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var command = Command(connection, transaction, $"SELECT key, data, version FROM typedsessions_slots WHERE session = $id AND key IN ({names})");
        command.Parameters.AddWithValue("$id", Key(session));
        for (var i = 0; i < keys.Count; i++)
        {
            command.Parameters.AddWithValue("$k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), keys[i]);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = reader.GetString(0);
            var slot = new StoredSlot((byte[])reader.GetValue(1), reader.GetInt64(2));
            for (var i = 0; i < keys.Count; i++)
            {
                if (string.Equals(keys[i], key, StringComparison.Ordinal))
                {
                    slots[i] = slot;
                }
            }
        }

        return slots;
    }

    public static long ReadVersion(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session, string key)
    {
        using var command = Command(connection, transaction, "SELECT version FROM typedsessions_slots WHERE session = $id AND key = $key");
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long version ? version : StoredSlot.Absent;
    }

    public static long NextVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = Command(connection, transaction, "UPDATE typedsessions_versions SET last = last + 1 WHERE id = 1 RETURNING last");
        return (long)command.ExecuteScalar()!;
    }

    public static void WriteSlot(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session, string key, ReadOnlyMemory<byte> data, long version)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO typedsessions_slots (session, key, data, version) VALUES ($id, $key, $data, $version)
            ON CONFLICT (session, key) DO UPDATE SET data = excluded.data, version = excluded.version
            """);
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.Add("$data", SqliteType.Blob).Value = data.ToArray();
        command.Parameters.AddWithValue("$version", version);
        command.ExecuteNonQuery();
    }

    /// <summary>Inserts or updates a session's times; a new row also gets <paramref name="userKey"/> and <paramref name="device"/> (a renewed session's).</summary>
    public static void WriteSession(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session, long createdAt, long lastAccess, long expiresAt, string? userKey = null, string? device = null)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO typedsessions_sessions (id, created_at, last_access, expires_at, user_key, device) VALUES ($id, $created, $access, $expires, $user, $device)
            ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, last_access = excluded.last_access, expires_at = excluded.expires_at
            """);
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$user", (object?)userKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$device", (object?)device ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", createdAt);
        command.Parameters.AddWithValue("$access", lastAccess);
        command.Parameters.AddWithValue("$expires", expiresAt);
        command.ExecuteNonQuery();
    }

    public static void RememberRenewed(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session, long until)
    {
        using var command = Command(connection, transaction, "INSERT OR REPLACE INTO typedsessions_renewed (id, until) VALUES ($id, $until)");
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$until", until);
        command.ExecuteNonQuery();
    }

    public static bool WasRenewed(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session, long now)
    {
        using var command = Command(connection, transaction, "SELECT 1 FROM typedsessions_renewed WHERE id = $id AND until >= $now");
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$now", now);
        return command.ExecuteScalar() is not null;
    }

    public static void ForgetRenewed(SqliteConnection connection, long now)
    {
        using var command = Command(connection, null, "DELETE FROM typedsessions_renewed WHERE until < $now");
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
    }

    public static void SetUser(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session, string userKey, string? device)
    {
        using var command = Command(connection, transaction, "UPDATE typedsessions_sessions SET user_key = $user, device = $device WHERE id = $id");
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$user", userKey);
        command.Parameters.AddWithValue("$device", (object?)device ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public static List<StoredSessionInfo> ReadUserSessions(SqliteConnection connection, string userKey, long now)
    {
        using var command = Command(connection, null, """
            SELECT id, created_at, last_access, device FROM typedsessions_sessions WHERE user_key = $user AND expires_at >= $now
            """);
        command.Parameters.AddWithValue("$user", userKey);
        command.Parameters.AddWithValue("$now", now);
        using var reader = command.ExecuteReader();
        var sessions = new List<StoredSessionInfo>();
        while (reader.Read())
        {
            sessions.Add(new StoredSessionInfo(
                SessionStoreId.FromHash((byte[])reader.GetValue(0)),
                userKey,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return sessions;
    }

    public static void MoveSlots(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId from, SessionStoreId to)
    {
        using var command = Command(connection, transaction, "UPDATE typedsessions_slots SET session = $to WHERE session = $from");
        command.Parameters.AddWithValue("$from", Key(from));
        command.Parameters.AddWithValue("$to", Key(to));
        command.ExecuteNonQuery();
    }

    public static void DeleteSlot(SqliteConnection connection, SessionStoreId session, string key)
    {
        using var command = Command(connection, null, "DELETE FROM typedsessions_slots WHERE session = $id AND key = $key");
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$key", key);
        command.ExecuteNonQuery();
    }

    public static void DeleteSession(SqliteConnection connection, SqliteTransaction transaction, SessionStoreId session)
    {
        using var command = Command(connection, transaction, """
            DELETE FROM typedsessions_slots WHERE session = $id;
            DELETE FROM typedsessions_sessions WHERE id = $id;
            """);
        command.Parameters.AddWithValue("$id", Key(session));
        command.ExecuteNonQuery();
    }

    public static void Touch(SqliteConnection connection, SessionStoreId session, long now, SessionLifetime lifetime)
    {
        using var command = Command(connection, null, """
            UPDATE typedsessions_sessions SET last_access = $now, expires_at = min($now + $idle, created_at + $absolute)
            WHERE id = $id AND expires_at >= $now
            """);
        command.Parameters.AddWithValue("$id", Key(session));
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$idle", lifetime.IdleMilliseconds);
        command.Parameters.AddWithValue("$absolute", lifetime.AbsoluteMilliseconds);
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes up to <paramref name="limit"/> expired sessions and their slots in one transaction; returns them with their users.</summary>
    public static List<(SessionStoreId Session, string? UserKey)> DeleteExpired(SqliteConnection connection, long now, int limit)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = Command(connection, transaction, """
            CREATE TEMP TABLE IF NOT EXISTS typedsessions_expired_v2 (id BLOB NOT NULL PRIMARY KEY, user_key TEXT);
            DELETE FROM typedsessions_expired_v2;
            INSERT INTO typedsessions_expired_v2 SELECT id, user_key FROM typedsessions_sessions WHERE expires_at < $now LIMIT $limit;
            DELETE FROM typedsessions_slots WHERE session IN (SELECT id FROM typedsessions_expired_v2);
            DELETE FROM typedsessions_sessions WHERE id IN (SELECT id FROM typedsessions_expired_v2);
            SELECT id, user_key FROM typedsessions_expired_v2;
            """);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$limit", limit);
        var deleted = new List<(SessionStoreId, string?)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                deleted.Add((SessionStoreId.FromHash((byte[])reader.GetValue(0)), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        transaction.Commit();
        return deleted;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static byte[] Key(SessionStoreId session)
    {
        var key = new byte[SessionStoreId.SessionIdSize];
        session.WriteTo(key);
        return key;
    }
}

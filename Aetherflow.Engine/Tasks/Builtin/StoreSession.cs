using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>One open connection (and transaction, for writes) with small helpers for parameterised SQL.</summary>
internal sealed class StoreSession
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly SqliteConnection connection;

    public StoreSession(SqliteConnection connection, SqliteTransaction? transaction)
    {
        this.connection = connection;
        Transaction = transaction;
    }

    public SqliteTransaction? Transaction { get; }

    /// <summary>Times are stored as fixed-width UTC text, so they sort as strings and read well in <c>sqlite3</c>.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Create(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Create(sql, parameters);
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Create(sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private SqliteCommand Create(string sql, (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}

/** Structured log lines (JSON), each carrying the request id that produced it. */
export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** A logger bound to one request. */
export function requestLogger(requestId: string): Logger {
  return (level, message, fields) => {
    const line = JSON.stringify({ level, message, requestId, ...fields });
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
}

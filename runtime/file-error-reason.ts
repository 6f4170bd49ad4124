// Why a file could not be read or written, for messages that name the file: the errno code
// (`ENOENT`, `EACCES`) when Node gives one, which says more than its sentence, else the message.

export function fileErrorReason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** File helpers for components: save a Blob through an object URL, and read the file a file input picked. */
export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** An `onchange` handler for a file input: passes the picked file on, then clears the input so the same file can be picked again. */
export function onFile(use: (file: File) => unknown): (e: Event) => void {
  return (e) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void use(file);
    input.value = '';
  };
}

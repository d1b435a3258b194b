// Owns where the data directory is when nobody says: $RAYOS_DATA, else ~/.local/share/rayos, or /var/lib/rayos for root.
export interface DataDirInputs {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly uid: number;
}

export function defaultDataDir({ env, home, uid }: DataDirInputs): string {
  const fromEnv = env['RAYOS_DATA'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (uid === 0) return '/var/lib/rayos';
  const xdg = env['XDG_DATA_HOME'];
  return xdg !== undefined && xdg !== '' ? `${xdg}/rayos` : `${home}/.local/share/rayos`;
}

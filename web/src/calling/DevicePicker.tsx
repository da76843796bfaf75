import { useEffect, useState } from 'preact/hooks';
import type { PhoneCall } from './call';

/** Where the chosen devices are remembered (ids only: nothing personal). */
const MIC_KEY = 'softphone.microphone';
const SPEAKER_KEY = 'softphone.speaker';

/** The microphone chosen last time, if any: new calls start with it. */
export function preferredMicrophone(): string | undefined {
  return localStorage.getItem(MIC_KEY) ?? undefined;
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * Microphone and speaker choice during a call: the microphone is swapped
 * with replaceTrack (no renegotiation), the speaker with setSinkId where
 * the browser has it.
 */
export function DevicePicker({ call }: { call: PhoneCall }) {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const load = () => void navigator.mediaDevices?.enumerateDevices().then(setDevices);
    load();
    navigator.mediaDevices?.addEventListener('devicechange', load);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', load);
  }, []);
  const inputs = devices.filter((d) => d.kind === 'audioinput');
  const outputs = devices.filter((d) => d.kind === 'audiooutput');
  const audio = document.getElementById('remote-audio') as SinkAudio | null;
  return (
    <div class="device-picker">
      <label>
        Microphone
        <select
          value={localStorage.getItem(MIC_KEY) ?? ''}
          onChange={(e) => {
            const id = e.currentTarget.value;
            localStorage.setItem(MIC_KEY, id);
            void call.setMicrophone(id);
          }}
        >
          {inputs.map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || `Microphone ${i + 1}`}
            </option>
          ))}
        </select>
      </label>
      {audio?.setSinkId && outputs.length > 0 && (
        <label>
          Speaker
          <select
            value={localStorage.getItem(SPEAKER_KEY) ?? ''}
            onChange={(e) => {
              const id = e.currentTarget.value;
              localStorage.setItem(SPEAKER_KEY, id);
              void audio.setSinkId?.(id);
            }}
          >
            {outputs.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || `Speaker ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

// Loads an OmegaT project through OmegaT's own classes (no GUI) and reports what OmegaT sees:
// segments, how many are translated / auto-populated / still hold Chinese, glossary entries read by
// OmegaT's TSV and TBX readers, and glossary hits per segment. With --post-edit TSV (source<TAB>new
// translation) it sets those translations as a translator would and saves omegat/project_save.tmx.
//
// Run with the JDK's single-file launcher: java -cp /usr/share/omegat/OmegaT.jar OmegatProbe.java PROJECT [...]
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.*;

import org.omegat.core.Core;
import org.omegat.core.data.*;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.gui.glossary.GlossaryReaderTSV;
import org.omegat.util.ProjectFileStorage;

public class OmegatProbe {
    static boolean hasHan(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            probe(args);
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);  // OmegaT's folder watchers are not daemon threads
    }

    static void probe(String[] args) throws Exception {
        File dir = new File(args[0]);
        Map<String, String> postEdits = new LinkedHashMap<>();
        List<File> extraGlossaries = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            if (args[i].equals("--post-edit")) {
                for (String line : Files.readAllLines(new File(args[i + 1]).toPath(), StandardCharsets.UTF_8)) {
                    String[] cols = line.split("\t", 2);
                    if (cols.length == 2) postEdits.put(cols[0], cols[1]);
                }
            } else if (args[i].equals("--glossary-file")) {
                extraGlossaries.add(new File(args[i + 1]));
            }
        }
        Map<String, String> params = new HashMap<>();
        params.put("mode", "console-translate");
        org.omegat.filters2.master.PluginUtils.loadPlugins(params);  // registers the file filters and tokenizers
        Core.initializeConsole(params);

        ProjectProperties props = ProjectFileStorage.loadProjectProperties(dir.getAbsoluteFile());
        // as OmegaT's own console mode does it (Main.selectProjectConsoleMode)
        RealProject project = new RealProject(props);
        Core.setProject(project);
        project.loadProject(true);

        List<GlossaryEntry> glossary = new ArrayList<>();
        List<File> glossaryFiles = new ArrayList<>();
        File[] inProject = new File(props.getGlossaryRoot()).listFiles();
        if (inProject != null) glossaryFiles.addAll(Arrays.asList(inProject));
        glossaryFiles.addAll(extraGlossaries);
        for (File f : glossaryFiles) {
            String name = f.getName().toLowerCase();
            List<GlossaryEntry> read = name.endsWith(".tbx") ? GlossaryReaderTBX.read(f, false)
                    : GlossaryReaderTSV.read(f, false);
            long terms = read.stream().map(GlossaryEntry::getSrcText).distinct().count();
            System.out.println("glossary file " + f.getName() + ": " + read.size() + " entries loaded by OmegaT ("
                    + terms + " distinct source terms)");
            if (!extraGlossaries.contains(f)) glossary.addAll(read);
        }

        int total = 0, translated = 0, auto = 0, withHan = 0, withHits = 0, hits = 0, edited = 0;
        for (SourceTextEntry ste : project.getAllEntries()) {
            total++;
            TMXEntry tr = project.getTranslationInfo(ste);
            if (tr.isTranslated()) {
                translated++;
                if (tr.linked != null) auto++;
                if (hasHan(tr.translation)) withHan++;
            }
            int segmentHits = 0;
            for (GlossaryEntry g : glossary) if (ste.getSrcText().contains(g.getSrcText())) segmentHits++;
            hits += segmentHits;
            if (segmentHits > 0) withHits++;
            String fix = postEdits.get(ste.getSrcText());
            if (fix != null) {
                PrepareTMXEntry entry = new PrepareTMXEntry();
                entry.source = ste.getSrcText();
                entry.translation = fix;
                entry.changer = "post-editor";
                project.setTranslation(ste, entry, true, null);
                edited++;
            }
        }
        System.out.println("segments: " + total);
        System.out.println("translated: " + translated + " (" + (total == 0 ? 0 : 100 * translated / total) + "%)");
        System.out.println("auto-populated from tm/auto (marked x-auto, to review): " + auto);
        System.out.println("translations still containing Chinese: " + withHan);
        System.out.println("segments with glossary hits: " + withHits + " (" + hits + " hits)");
        if (edited > 0) {
            // RealProject.saveProject needs the GUI (menus, autosave); write the project memory as it does
            java.lang.reflect.Field field = RealProject.class.getDeclaredField("projectTMX");
            field.setAccessible(true);
            ProjectTMX tmx = (ProjectTMX) field.get(project);
            tmx.save(props, props.getProjectInternal() + "project_save.tmx", true);
            System.out.println("post-edited segments saved to omegat/project_save.tmx: " + edited);
        }
        project.closeProject();
    }
}

package dev.trainyard.prep.video;

import java.io.Serializable;
import java.util.List;

/**
 * One video (or frame folder) the annotations list, before decoding.
 *
 * @param candidates where the file may be, tried in order (flat or in a class folder, any extension)
 * @param frameFolder true for an mmaction rawframes folder ({@code img_00001.jpg ...})
 * @param listedFrames frames the list file says the folder has (-1 when unknown)
 */
public record VideoEntry(String videoId, String label, int labelIndex, String split, String annotationFile,
                         long annotationRow, List<String> candidates, boolean frameFolder, int listedFrames)
        implements Serializable {
}
